/**
 * The PostgreSQL schema, one step per entry, run on start-up by whichever process gets there first
 * (under an advisory lock). `schema_migrations` records the steps that ran. Never edit a released
 * step: add a new one. The tables mirror the SQLite store's (src/state/migrations.ts), plus the
 * rate-limit counters and the articles every node indexes.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: feedback, per-server settings and their change log, thread history, rate limits, articles.
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
    id BIGSERIAL PRIMARY KEY,
    guild_id TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT NOT NULL,
    change TEXT NOT NULL
  );
  CREATE INDEX settings_log_guild ON settings_log (guild_id, id);

  CREATE TABLE threads (
    thread_id TEXT PRIMARY KEY,
    guild_id TEXT,
    opened_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL
  );
  CREATE INDEX threads_last ON threads (last_at);
  CREATE TABLE turns (
    id BIGSERIAL PRIMARY KEY,
    thread_id TEXT NOT NULL REFERENCES threads (thread_id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
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

  -- rate-limiter-flexible's own layout (RateLimiterPostgres), created here so no limiter creates it.
  CREATE TABLE rate_limits (key VARCHAR(255) PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire BIGINT);

  -- The corpus: one row per article file, its text as written to corpus/. Every change is announced
  -- on the articles_changed channel, so that every node re-indexes.
  CREATE TABLE articles (
    file TEXT PRIMARY KEY,
    content BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE TABLE corpus_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
  INSERT INTO corpus_version VALUES (1, 0);
  CREATE FUNCTION articles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE v BIGINT;
  BEGIN
    UPDATE corpus_version SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
    PERFORM pg_notify('articles_changed', v::text);
    RETURN NULL;
  END $$;
  CREATE TRIGGER articles_changed AFTER INSERT OR UPDATE OR DELETE ON articles FOR EACH STATEMENT EXECUTE FUNCTION articles_changed();
  `,
];
