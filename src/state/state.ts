import path from "node:path";
import type { Config } from "../config.js";
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
  const db = openStateDb(config.stateFile);
  const feedback = new FeedbackStore(db);
  const legacy = path.join(config.dataDir, "feedback", "feedback.jsonl");
  const imported = feedback.importJsonl(legacy);
  if (imported) deps.log?.info({ file: legacy, ...imported }, "state: imported the feedback JSONL file");
  return {
    db,
    feedback,
    settings: new SettingsStore(db),
    history: new HistoryStore(db, { maxTurns: config.HISTORY_TURNS, ttlMs: config.HISTORY_TTL_MIN * 60_000, ...(deps.now ? { now: deps.now } : {}) }),
    close: () => db.close(),
  };
}
