import { createHmac, randomBytes } from "node:crypto";
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres } from "rate-limiter-flexible";
import type { Answer } from "../answer/answer.js";
import type { Config } from "../config.js";
import { LIMIT_TABLE, type LimiterFactory } from "./rate-limit.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { newAnswerId, storedAnswer, type StoredAnswer, type StoredVote } from "./feedback.js";
import { everyDay, type DayCount, type GapQuestion, type PeriodQuery } from "./gaps.js";
import type { Turn, TurnCitation } from "./history.js";
import type { StateStore } from "./open.js";
import { PG_MIGRATIONS } from "./pg-migrations.js";
import { DEFAULT_SETTINGS, guildSettingsSchema, type GuildSettings, type SettingsChange } from "./settings.js";
import type { FeedbackState, HistoryState, ReportsState, SettingsState } from "./store.js";
import { WriteBehind } from "./write-behind.js";

/** Connections each process keeps to PostgreSQL. */
export const PG_POOL_SIZE = 5;
/** How long a statement may wait for a lock (a question never waits longer on a write). */
export const PG_LOCK_TIMEOUT_MS = 2_000;
/** Any number, the same in every process: the advisory lock under which one process migrates. */
const MIGRATION_LOCK = 7_262_512;

/** `postgres host:port/db`, never the password: for messages. */
export function describePg(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/** A pool on DATABASE_URL, with the schema brought up to date. Throws `state: …` naming the database. */
export async function openPgPool(config: Pick<Config, "DATABASE_URL">, log: Logger): Promise<pg.Pool> {
  const where = describePg(config.DATABASE_URL ?? "");
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: PG_POOL_SIZE, options: `-c lock_timeout=${PG_LOCK_TIMEOUT_MS}` });
  // An idle connection dropped by the server is replaced on the next query; say so, don't crash.
  pool.on("error", (err) => log.warn({ err }, `state: ${where}: idle connection lost`));
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw new AppError("STATE", `state: cannot open ${where} (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
  return pool;
}

async function migratePg(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    const { rows } = await client.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations");
    const version = rows[0]?.v ?? 0;
    if (version > PG_MIGRATIONS.length)
      throw new AppError("STATE", `state: the PostgreSQL database has schema version ${version}; this version of the bot knows ${PG_MIGRATIONS.length}`);
    for (let v = version; v < PG_MIGRATIONS.length; v++) {
      await client.query("BEGIN");
      try {
        await client.query(PG_MIGRATIONS[v]!);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [v + 1]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** Run `fn` in one transaction. */
async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await fn(c);
    await c.query("COMMIT");
    return out;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** The state in PostgreSQL, shared by every process and machine that has the same DATABASE_URL. */
export async function openPgState(config: Config, deps: { log: Logger; now?: () => number }): Promise<StateStore> {
  const pool = await openPgPool(config, deps.log);
  const where = describePg(config.DATABASE_URL ?? "");
  await pool.query("INSERT INTO meta (key, value) VALUES ('user_hash_key', $1) ON CONFLICT (key) DO NOTHING", [randomBytes(32).toString("base64")]);
  const key = Buffer.from((await pool.query<{ value: string }>("SELECT value FROM meta WHERE key = 'user_hash_key'")).rows[0]!.value, "base64");
  const now = deps.now ?? Date.now;
  const limiters: LimiterFactory = (kind, points, duration) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: LIMIT_TABLE,
      tableCreated: true,
      keyPrefix: kind,
      points,
      duration,
      // PostgreSQL out of reach: count in this process meanwhile rather than refuse or fail every question.
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: kind, points, duration }),
    });
  const writes = new WriteBehind(deps.log, where);
  return {
    backend: "postgres",
    where,
    feedback: pgFeedback(pool, key),
    settings: pgSettings(pool),
    history: pgHistory(pool, { maxTurns: config.HISTORY_TURNS, ttlMs: config.HISTORY_TTL_MIN * 60_000, now }),
    reports: pgReports(pool),
    limiters,
    writes,
    close: async () => {
      await writes.flush();
      await pool.end();
    },
  };
}

function pgFeedback(pool: pg.Pool, key: Buffer): FeedbackState {
  const hashUser = (userId: string) => createHmac("sha256", key).update(userId).digest("base64url").slice(0, 22);
  const answer = async (id: string): Promise<StoredAnswer | undefined> => {
    const r = (await pool.query("SELECT * FROM answers WHERE id = $1", [id])).rows[0] as Record<string, string> | undefined;
    return (
      r && {
        id: r["id"]!,
        at: r["at"]!,
        userHash: r["user_hash"]!,
        guildId: r["guild_id"] ?? null,
        question: r["question"]!,
        answered: Number(r["answered"]) === 1,
        answer: r["answer"]!,
        passageIds: JSON.parse(r["passage_ids"]!) as string[],
      }
    );
  };
  return {
    hashUser,
    async recordAnswer(a: Answer, userId: string, guildId: string | null = null, at = new Date(), id = newAnswerId()) {
      const r = storedAnswer(a, hashUser(userId), guildId, at, id);
      await pool.query("INSERT INTO answers (id, at, user_hash, guild_id, question, answered, answer, passage_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
        r.id,
        r.at,
        r.userHash,
        r.guildId,
        r.question,
        r.answered ? 1 : 0,
        r.answer,
        JSON.stringify(r.passageIds),
      ]);
      return r;
    },
    answer,
    async vote(answerId, userId, vote, at = new Date()): Promise<StoredVote | undefined> {
      const a = await answer(answerId);
      if (!a) return undefined;
      const userHash = hashUser(userId);
      await pool.query(
        "INSERT INTO votes (answer_id, user_hash, at, vote) VALUES ($1, $2, $3, $4) ON CONFLICT (answer_id, user_hash) DO UPDATE SET at = excluded.at, vote = excluded.vote",
        [answerId, userHash, at.toISOString(), vote],
      );
      return { answerId, at: at.toISOString(), userHash, vote, question: a.question, answer: a.answer, passageIds: a.passageIds };
    },
    async votes(answerId?: string) {
      const sql = `SELECT v.answer_id, v.user_hash, v.at, v.vote, a.question, a.answer, a.passage_ids FROM votes v JOIN answers a ON a.id = v.answer_id${answerId === undefined ? "" : " WHERE v.answer_id = $1"} ORDER BY v.at`;
      const { rows } = await pool.query(sql, answerId === undefined ? [] : [answerId]);
      return (rows as Array<Record<string, string>>).map((r) => ({
        answerId: r["answer_id"]!,
        at: r["at"]!,
        userHash: r["user_hash"]!,
        vote: r["vote"] as "up" | "down",
        question: r["question"]!,
        answer: r["answer"]!,
        passageIds: JSON.parse(r["passage_ids"]!) as string[],
      }));
    },
  };
}

function parseSettings(json: string | undefined): GuildSettings {
  if (!json) return DEFAULT_SETTINGS;
  const parsed = guildSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

function pgSettings(pool: pg.Pool): SettingsState {
  return {
    async get(guildId) {
      if (!guildId) return DEFAULT_SETTINGS;
      return parseSettings((await pool.query<{ settings: string }>("SELECT settings FROM guild_settings WHERE guild_id = $1", [guildId])).rows[0]?.settings);
    },
    update: (guildId, userId, patch, at = new Date()) =>
      inTransaction(pool, async (c) => {
        // Two moderators on two machines: the second waits for the first, then sees its change.
        await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`settings:${guildId}`]);
        const before = parseSettings(
          (await c.query<{ settings: string }>("SELECT settings FROM guild_settings WHERE guild_id = $1", [guildId])).rows[0]?.settings,
        );
        const after = guildSettingsSchema.parse({ ...before, ...patch });
        const changed: SettingsChange["change"] = {};
        for (const k of Object.keys(after) as Array<keyof GuildSettings>)
          if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) changed[k] = { from: before[k], to: after[k] };
        if (Object.keys(changed).length === 0) return { settings: after, changed };
        await c.query(
          "INSERT INTO guild_settings (guild_id, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4) ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
          [guildId, JSON.stringify(after), at.toISOString(), userId],
        );
        await c.query("INSERT INTO settings_log (guild_id, at, user_id, change) VALUES ($1, $2, $3, $4)", [
          guildId,
          at.toISOString(),
          userId,
          JSON.stringify(changed),
        ]);
        return { settings: after, changed };
      }),
    async log(guildId, limit = 10) {
      const { rows } = await pool.query<{ at: string; user_id: string; change: string }>(
        "SELECT at, user_id, change FROM settings_log WHERE guild_id = $1 ORDER BY id DESC LIMIT $2",
        [guildId, limit],
      );
      return rows.map((r) => ({ at: r.at, userId: r.user_id, change: JSON.parse(r.change) as SettingsChange["change"] }));
    },
  };
}

function pgHistory(pool: pg.Pool, opts: { maxTurns: number; ttlMs: number; now: () => number }): HistoryState {
  const expiredBefore = () => opts.now() - opts.ttlMs;
  const isBotThread = async (threadId: string) =>
    (await pool.query("SELECT 1 FROM threads WHERE thread_id = $1 AND last_at >= $2", [threadId, expiredBefore()])).rowCount! > 0;
  return {
    isBotThread,
    isBotMessage: async (threadId, messageId) =>
      (
        await pool.query("SELECT 1 FROM bot_messages b JOIN threads t USING (thread_id) WHERE b.thread_id = $1 AND b.message_id = $2 AND t.last_at >= $3", [
          threadId,
          messageId,
          expiredBefore(),
        ])
      ).rowCount! > 0,
    async turns(threadId): Promise<Turn[]> {
      if (!(await isBotThread(threadId))) return [];
      const { rows } = await pool.query(
        "SELECT at::float8 AS at, question, query, answered, answer, citations FROM turns WHERE thread_id = $1 ORDER BY id DESC LIMIT $2",
        [threadId, opts.maxTurns],
      );
      return (rows as Array<Record<string, string | number>>).reverse().map((r) => ({
        at: Number(r["at"]),
        question: String(r["question"]),
        query: String(r["query"]),
        answered: Number(r["answered"]) === 1,
        answer: String(r["answer"]),
        citations: JSON.parse(String(r["citations"])) as TurnCitation[],
      }));
    },
    addTurn: (threadId, guildId, turn, botMessageIds = []) =>
      inTransaction(pool, async (c) => {
        const at = opts.now();
        await c.query("DELETE FROM threads WHERE last_at < $1", [expiredBefore()]);
        await c.query(
          "INSERT INTO threads (thread_id, guild_id, opened_at, last_at) VALUES ($1, $2, $3, $3) ON CONFLICT (thread_id) DO UPDATE SET last_at = excluded.last_at",
          [threadId, guildId, at],
        );
        await c.query("INSERT INTO turns (thread_id, at, question, query, answered, answer, citations) VALUES ($1, $2, $3, $4, $5, $6, $7)", [
          threadId,
          at,
          turn.question,
          turn.query,
          turn.answered ? 1 : 0,
          turn.answer,
          JSON.stringify(turn.citations),
        ]);
        await c.query("DELETE FROM turns WHERE thread_id = $1 AND id NOT IN (SELECT id FROM turns WHERE thread_id = $1 ORDER BY id DESC LIMIT $2)", [
          threadId,
          opts.maxTurns,
        ]);
        for (const id of botMessageIds)
          await c.query("INSERT INTO bot_messages (message_id, thread_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [id, threadId]);
      }),
  };
}

const DOWNVOTED = "EXISTS (SELECT 1 FROM votes v WHERE v.answer_id = a.id AND v.vote = 'down')";

function pgReports(pool: pg.Pool): ReportsState {
  const where = (q: PeriodQuery) => ({
    sql: `a.at >= $1 AND a.at < $2${q.guildId === undefined ? "" : " AND a.guild_id = $3"}`,
    params: q.guildId === undefined ? [q.since, q.until] : [q.since, q.until, q.guildId],
  });
  return {
    async gapQuestions(q): Promise<GapQuestion[]> {
      const w = where(q);
      const { rows } = await pool.query(
        `SELECT a.id, a.at, a.question, a.answered FROM answers a WHERE ${w.sql} AND (a.answered = 0 OR ${DOWNVOTED}) ORDER BY a.at`,
        w.params,
      );
      return (rows as Array<Record<string, string | number>>).map((r) => ({
        answerId: String(r["id"]),
        at: String(r["at"]),
        question: String(r["question"]),
        reason: Number(r["answered"]) === 0 ? "declined" : "downvoted",
      }));
    },
    async dailyCounts(q): Promise<DayCount[]> {
      const w = where(q);
      const { rows } = await pool.query<DayCount>(
        `SELECT substr(a.at, 1, 10) AS day,
                SUM(CASE WHEN a.answered = 1 AND NOT ${DOWNVOTED} THEN 1 ELSE 0 END)::int AS answered,
                SUM(CASE WHEN a.answered = 0 THEN 1 ELSE 0 END)::int AS declined,
                SUM(CASE WHEN a.answered = 1 AND ${DOWNVOTED} THEN 1 ELSE 0 END)::int AS downvoted
           FROM answers a WHERE ${w.sql} GROUP BY day`,
        w.params,
      );
      return everyDay(rows, q);
    },
  };
}
