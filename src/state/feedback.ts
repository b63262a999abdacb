import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Answer } from "../answer/answer.js";
import { getMeta, setMeta, type StateDb } from "./db.js";

/** An answer as kept for its buttons: enough to show its sources and record votes after a restart. */
export interface StoredAnswer {
  /** Short random id carried by the answer's buttons. */
  id: string;
  at: string;
  /** Keyed hash of the asker's user id: the raw id is never stored. */
  userHash: string;
  /** The server it was asked in; null in DMs and for answers imported from the old JSONL store. */
  guildId: string | null;
  question: string;
  answered: boolean;
  answer: string;
  /** Cited passages in reference order, or the "may be related" ones when the bot abstained. */
  passageIds: string[];
}

/** One 👍/👎 with the question, answer and passage ids it is about. One per user and answer; the last one counts. */
export interface StoredVote {
  answerId: string;
  at: string;
  userHash: string;
  vote: "up" | "down";
  question: string;
  answer: string;
  passageIds: string[];
}

interface AnswerRow {
  id: string;
  at: string;
  user_hash: string;
  guild_id: string | null;
  question: string;
  answered: number;
  answer: string;
  passage_ids: string;
}

/**
 * Answers and votes in the app-state database. Nothing is cached in memory: a button press reads its
 * answer by id, so memory stays flat however many answers accumulate.
 */
export class FeedbackStore {
  private readonly key: Buffer;

  constructor(private readonly db: StateDb) {
    let key = getMeta(db, "user_hash_key");
    if (!key) {
      key = randomBytes(32).toString("base64");
      setMeta(db, "user_hash_key", key);
    }
    this.key = Buffer.from(key, "base64");
  }

  /** The keyed hash stored in place of a user id (HMAC-SHA256 with this database's own random key). */
  hashUser(userId: string): string {
    return createHmac("sha256", this.key).update(userId).digest("base64url").slice(0, 22);
  }

  /**
   * Keep an answer, under `id` (from `newAnswerId`, already on its buttons: the reply goes out before
   * this write) or a new one.
   */
  recordAnswer(answer: Answer, userId: string, guildId: string | null = null, at = new Date(), id = newAnswerId()): StoredAnswer {
    const r = storedAnswer(answer, this.hashUser(userId), guildId, at, id);
    this.insert(r);
    return r;
  }

  answer(id: string): StoredAnswer | undefined {
    const row = this.db.prepare("SELECT * FROM answers WHERE id = ?").get(id) as AnswerRow | undefined;
    return row && fromRow(row);
  }

  /** Record a vote (replacing this user's earlier one on the answer); undefined when no answer has that id. */
  vote(answerId: string, userId: string, vote: "up" | "down", at = new Date()): StoredVote | undefined {
    const a = this.answer(answerId);
    if (!a) return undefined;
    const userHash = this.hashUser(userId);
    this.db
      .prepare(
        "INSERT INTO votes (answer_id, user_hash, at, vote) VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) DO UPDATE SET at = excluded.at, vote = excluded.vote",
      )
      .run(answerId, userHash, at.toISOString(), vote);
    return { answerId, at: at.toISOString(), userHash, vote, question: a.question, answer: a.answer, passageIds: a.passageIds };
  }

  /** Every vote, oldest first; optionally those on one answer. */
  votes(answerId?: string): StoredVote[] {
    const sql = `SELECT v.answer_id, v.user_hash, v.at, v.vote, a.question, a.answer, a.passage_ids FROM votes v JOIN answers a ON a.id = v.answer_id${answerId === undefined ? "" : " WHERE v.answer_id = ?"} ORDER BY v.at, v.rowid`;
    const rows = (answerId === undefined ? this.db.prepare(sql).all() : this.db.prepare(sql).all(answerId)) as Array<{
      answer_id: string;
      user_hash: string;
      at: string;
      vote: "up" | "down";
      question: string;
      answer: string;
      passage_ids: string;
    }>;
    return rows.map((r) => ({
      answerId: r.answer_id,
      at: r.at,
      userHash: r.user_hash,
      vote: r.vote,
      question: r.question,
      answer: r.answer,
      passageIds: JSON.parse(r.passage_ids) as string[],
    }));
  }

  /**
   * Bring in the JSON Lines file of earlier versions (`<DATA_DIR>/feedback/feedback.jsonl`), once: the
   * database remembers it did, so a restart never imports twice. User ids are hashed on the way in.
   * Lines cut short by a crash are skipped and counted.
   */
  importJsonl(file: string): { imported: number; skipped: number } | undefined {
    const marker = `imported:${path.resolve(file)}`;
    if (getMeta(this.db, marker)) return undefined;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    let imported = 0;
    let skipped = 0;
    this.db.transaction(() => {
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        const r = parseLine(line);
        if (!r) {
          skipped++;
          continue;
        }
        if (r.kind === "answer") {
          this.insert(
            {
              id: r.id,
              at: r.at,
              userHash: this.hashUser(r.userId),
              guildId: null,
              question: r.question,
              answered: r.answered,
              answer: r.answer,
              passageIds: r.passageIds,
            },
            true,
          );
        } else {
          // Votes repeat their answer: recreate it if its own line was lost.
          this.insert(
            { id: r.answerId, at: r.at, userHash: "", guildId: null, question: r.question, answered: true, answer: r.answer, passageIds: r.passageIds },
            true,
          );
          this.db
            .prepare(
              "INSERT INTO votes (answer_id, user_hash, at, vote) VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_hash) DO UPDATE SET at = excluded.at, vote = excluded.vote",
            )
            .run(r.answerId, this.hashUser(r.userId), r.at, r.vote);
        }
        imported++;
      }
      setMeta(this.db, marker, new Date().toISOString());
    })();
    return { imported, skipped };
  }

  private insert(r: StoredAnswer, ignoreExisting = false): void {
    this.db
      .prepare(
        `INSERT ${ignoreExisting ? "OR IGNORE " : ""}INTO answers (id, at, user_hash, guild_id, question, answered, answer, passage_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.at, r.userHash, r.guildId, r.question, r.answered ? 1 : 0, r.answer, JSON.stringify(r.passageIds));
  }
}

/** A short random id for an answer, carried by its buttons. */
export function newAnswerId(): string {
  return randomBytes(6).toString("base64url");
}

/** An answer as stored: the passages it cited, or the related ones when it abstained, each once. */
export function storedAnswer(answer: Answer, userHash: string, guildId: string | null, at: Date, id: string): StoredAnswer {
  const cited = answer.answered ? answer.citations.map((c) => c.passageId) : answer.related.map((r) => r.passageId);
  return {
    id,
    at: at.toISOString(),
    userHash,
    guildId,
    question: answer.question,
    answered: answer.answered,
    answer: answer.answer,
    passageIds: [...new Set(cited)],
  };
}

function fromRow(r: AnswerRow): StoredAnswer {
  return {
    id: r.id,
    at: r.at,
    userHash: r.user_hash,
    guildId: r.guild_id,
    question: r.question,
    answered: r.answered === 1,
    answer: r.answer,
    passageIds: JSON.parse(r.passage_ids) as string[],
  };
}

type JsonlLine =
  | { kind: "answer"; id: string; at: string; userId: string; question: string; answered: boolean; answer: string; passageIds: string[] }
  | { kind: "vote"; answerId: string; at: string; userId: string; vote: "up" | "down"; question: string; answer: string; passageIds: string[] };

function parseLine(line: string): JsonlLine | undefined {
  try {
    const r = JSON.parse(line) as Record<string, unknown> | null;
    if (!r || typeof r !== "object" || !Array.isArray(r["passageIds"]) || typeof r["question"] !== "string" || typeof r["at"] !== "string") return undefined;
    const common = {
      at: r["at"],
      userId: String(r["userId"] ?? ""),
      question: r["question"],
      answer: String(r["answer"] ?? ""),
      passageIds: (r["passageIds"] as unknown[]).map(String),
    };
    if (r["kind"] === "answer" && typeof r["id"] === "string") return { kind: "answer", id: r["id"], answered: r["answered"] !== false, ...common };
    if (r["kind"] === "vote" && typeof r["answerId"] === "string" && (r["vote"] === "up" || r["vote"] === "down"))
      return { kind: "vote", answerId: r["answerId"], vote: r["vote"], ...common };
    return undefined;
  } catch {
    return undefined;
  }
}
