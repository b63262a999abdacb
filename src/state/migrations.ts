/**
 * The app-state schema, one step per entry. `PRAGMA user_version` records how many have run; opening a
 * database runs the rest in one transaction. Never edit a released step: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: feedback, per-server settings and their change log, thread history.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE answers (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    guild_id TEXT,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    answer TEXT NOT NULL,
    passage_ids TEXT NOT NULL
  );
  CREATE INDEX answers_at ON answers (at);
  CREATE INDEX answers_guild_at ON answers (guild_id, at);

  CREATE TABLE votes (
    answer_id TEXT NOT NULL REFERENCES answers (id),
    user_hash TEXT NOT NULL,
    at TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    PRIMARY KEY (answer_id, user_hash)
  );
  CREATE INDEX votes_at ON votes (at);

  CREATE TABLE guild_settings (
    guild_id TEXT PRIMARY KEY,
    settings TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  );
  CREATE TABLE settings_log (
    id INTEGER PRIMARY KEY,
    guild_id TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    change TEXT NOT NULL
  );
  CREATE INDEX settings_log_guild ON settings_log (guild_id, id);

  CREATE TABLE threads (
    thread_id TEXT PRIMARY KEY,
    guild_id TEXT,
    opened_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL
  );
  CREATE INDEX threads_last ON threads (last_at);
  CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    question TEXT NOT NULL,
    query TEXT NOT NULL,
    answered INTEGER NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL
  );
  CREATE INDEX turns_thread ON turns (thread_id, id);
  CREATE TABLE bot_messages (
    message_id TEXT PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE
  );
  CREATE INDEX bot_messages_thread ON bot_messages (thread_id);
  `,
];
