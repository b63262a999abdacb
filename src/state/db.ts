import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import { MIGRATIONS } from "./migrations.js";

export type StateDb = Database.Database;

/** How long opening (and migrating) waits for a lock another process holds. */
export const OPEN_BUSY_TIMEOUT_MS = 5_000;
/**
 * How long a read or write waits for a lock once the bot is serving: better-sqlite3 waits synchronously,
 * holding up the whole process, so this is short, and writes that meet a lock are retried later.
 */
export const STATE_BUSY_TIMEOUT_MS = 100;

/**
 * Open (or create) the app-state database: feedback, per-server settings and thread history. It lives
 * apart from the per-build index, so a rebuild never touches it. WAL lets the bot and `npm run gaps`
 * read and write at once. Throws `state: …` for a database written by a newer version.
 */
export function openStateDb(file: string): StateDb {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function migrate(db: StateDb): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new AppError("STATE", `state: ${db.name} has schema version ${version}; this version of the bot knows ${MIGRATIONS.length}`);
  }
  if (version === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}

/** A value of the `meta` table, or undefined. */
export function getMeta(db: StateDb, key: string): string | undefined {
  return (db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: StateDb, key: string, value: string): void {
  db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}
