import path from "node:path";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { openStateDb, type StateDb } from "./db.js";
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
  let db: StateDb;
  try {
    db = openStateDb(config.stateFile);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("STATE", `state: cannot open the app-state database ${config.stateFile} (STATE_DB): ${(err as Error).message}`, { cause: err });
  }
  const feedback = new FeedbackStore(db);
  const legacy = path.join(config.dataDir, "feedback", "feedback.jsonl");
  let imported: ReturnType<FeedbackStore["importJsonl"]>;
  try {
    imported = feedback.importJsonl(legacy);
  } catch (err) {
    db.close();
    throw new AppError("STATE", `feedback: cannot import the old feedback file ${legacy} (DATA_DIR=${config.dataDir}): ${(err as Error).message}`, { cause: err });
  }
  if (imported) deps.log?.info({ file: legacy, ...imported }, "state: imported the feedback JSONL file");
  return {
    db,
    feedback,
    settings: new SettingsStore(db),
    history: new HistoryStore(db, { maxTurns: config.HISTORY_TURNS, ttlMs: config.HISTORY_TTL_MIN * 60_000, ...(deps.now ? { now: deps.now } : {}) }),
    close: () => db.close(),
  };
}
