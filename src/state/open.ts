import Database from "better-sqlite3";
import { RateLimiterMemory, RateLimiterSQLite } from "rate-limiter-flexible";
import type { Config } from "../config.js";
import { LIMIT_TABLE, type LimiterFactory } from "./rate-limit.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { dailyCounts, gapQuestions } from "./gaps.js";
import { openState, type AppState } from "./state.js";
import type { FeedbackState, HistoryState, ReportsState, SettingsState } from "./store.js";
import { WriteBehind } from "./write-behind.js";

/**
 * How long a rate-limit count waits for the state file's write lock before the count is kept in this
 * process's memory instead: counting is on the reply path, and better-sqlite3 waits synchronously.
 */
export const LIMIT_BUSY_TIMEOUT_MS = 50;

/** Every piece of state the bot keeps, behind one interface with two backends. */
export interface StateStore {
  /** `sqlite`: the embedded file (one machine). `postgres`: DATABASE_URL, shared by every machine. */
  backend: "sqlite" | "postgres";
  /** Where the state lives, for messages: the file, or the PostgreSQL database (never its password). */
  where: string;
  feedback: FeedbackState;
  settings: SettingsState;
  history: HistoryState;
  reports: ReportsState;
  /** Rate-limit counters shared by every process using this store. */
  limiters: LimiterFactory;
  /** Writes taken off the reply path. */
  writes: WriteBehind;
  close(): Promise<void>;
}

/** Open the state: PostgreSQL when DATABASE_URL is set, the SQLite file STATE_DB otherwise. */
export async function openStateStore(config: Config, deps: { log: Logger; now?: () => number }): Promise<StateStore> {
  if (config.DATABASE_URL) {
    const { openPgState } = await import("./pg.js");
    return openPgState(config, deps);
  }
  return sqliteStateStore(openState(config, deps), config, deps.log);
}

/** The SQLite store around an open app-state database; closing the store closes it. */
export function sqliteStateStore(state: AppState, config: Config, log: Logger, opts: { closeState?: boolean } = {}): StateStore {
  const where = config.stateFile;
  // The counters get their own connection, which gives up on a held lock quickly (see LIMIT_BUSY_TIMEOUT_MS).
  let counters: Database.Database;
  try {
    counters = new Database(where);
    counters.exec(`CREATE TABLE IF NOT EXISTS ${LIMIT_TABLE} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`);
    counters.pragma(`busy_timeout = ${LIMIT_BUSY_TIMEOUT_MS}`);
  } catch (err) {
    if (opts.closeState !== false) state.close();
    throw new AppError("STATE", `state: cannot open the rate-limit counters in ${where} (STATE_DB): ${(err as Error).message}`, { cause: err });
  }
  const limiters: LimiterFactory = (kind, points, duration) =>
    new RateLimiterSQLite({
      storeClient: counters,
      storeType: "better-sqlite3",
      tableName: LIMIT_TABLE,
      tableCreated: true,
      keyPrefix: kind,
      points,
      duration,
      // The file locked by another process for longer than the busy timeout: count in memory meanwhile.
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: kind, points, duration }),
    });
  const writes = new WriteBehind(log, where);
  return {
    backend: "sqlite",
    where,
    feedback: state.feedback,
    settings: state.settings,
    history: state.history,
    reports: { gapQuestions: (q) => gapQuestions(state.db, q), dailyCounts: (q) => dailyCounts(state.db, q) },
    limiters,
    writes,
    close: async () => {
      await writes.flush();
      counters.close();
      if (opts.closeState !== false) state.close();
    },
  };
}
