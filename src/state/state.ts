import path from "node:path";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { openStateDb, STATE_BUSY_TIMEOUT_MS, type StateDb } from "./db.js";
import { FeedbackStore } from "./feedback.js";
import { HistoryStore } from "./history.js";
import { SettingsStore } from "./settings.js";

/** The app state the bot keeps across restarts and index rebuilds. */
export interface AppState {
  db: StateDb;
  feedback: FeedbackStore;
  settings: SettingsStore;
  history: HistoryStore;
  close(): void;
}

/**
 * Open `STATE_DB` (default `<DATA_DIR>/state.sqlite`) and bring in the feedback JSONL file of
 * earlier versions once, if there is one.
 */
export function openState(config: Config, deps: { log?: Logger; now?: () => number } = {}): AppState {
  const file = config.stateFile;
  let db: StateDb | undefined;
  let feedback: FeedbackStore;
  try {
    db = openStateDb(file);
    feedback = new FeedbackStore(db);
  } catch (err) {
    db?.close();
    throw storeError(err, file);
  }
  const legacy = path.join(config.dataDir, "feedback", "feedback.jsonl");
  let imported: ReturnType<FeedbackStore["importJsonl"]>;
  try {
    imported = feedback.importJsonl(legacy);
  } catch (err) {
    db.close();
    // The database failing while the old file is read in is the database's fault, not the file's.
    if ((err as { code?: unknown }).code?.toString().startsWith("SQLITE_")) throw storeError(err, file);
    throw new AppError("STATE", `feedback: cannot import the old feedback file ${legacy} (DATA_DIR=${config.dataDir}): ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (imported) deps.log?.info({ file: legacy, ...imported }, "state: imported the feedback JSONL file");
  // From here on the state is read on the reply path and written behind it (see WriteBehind): a lock
  // held by another process must not hold up this one for long.
  db.pragma(`busy_timeout = ${STATE_BUSY_TIMEOUT_MS}`);
  const opened = db;
  return {
    db,
    feedback,
    settings: new SettingsStore(db),
    history: new HistoryStore(db, { maxTurns: config.HISTORY_TURNS, ttlMs: config.HISTORY_TTL_MIN * 60_000, ...(deps.now ? { now: deps.now } : {}) }),
    close: () => opened.close(),
  };
}

/** Any failure of the state file, as `state: …` naming the file (SQLite's own messages name none). */
function storeError(err: unknown, file: string): AppError {
  if (err instanceof AppError) return err;
  const damaged = ["SQLITE_CORRUPT", "SQLITE_NOTADB"].includes(String((err as { code?: unknown }).code));
  return new AppError(
    "STATE",
    `state: cannot open the app-state database ${file} (STATE_DB): ${(err as Error).message}${damaged ? "; the file is damaged: move it aside to start with an empty state, or restore it from a backup" : ""}`,
    { cause: err },
  );
}
