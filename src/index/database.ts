import Database from "better-sqlite3";
import { z } from "zod";
import { FACTS_SCHEMA } from "./facts.js";
import { POSTINGS_SCHEMA } from "./postings.js";

/**
 * Bumped whenever the on-disk layout changes; older builds are rebuilt, never read. 3: bodies in their
 * own table, posting lists read through fts5vocab. 4: lexical terms fold accents and irregular verb forms.
 * 5: BM25 reads posting lists of its own (`postings`, `term_docs`) instead of fts5vocab's rows.
 * 6: a title that only repeats the body's opening (made from the first sentence) adds no title terms.
 * 7: corpus facts (`passage_facts`, `article_facts`): sentence terms, section headings, article topics.
 */
export const INDEX_FORMAT = 7;

/** The SQLite file of one build. */
export const DB_FILE = "index.sqlite";

/**
 * One build's tables. Bodies live once, in `bodies`; a passage is offsets into its article's body.
 * `label` is the passage's point in the HNSW graphs: assigned from `meta.next_label`, never reused,
 * so a graph from an older build can never name the wrong passage.
 */
const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE articles (
  id TEXT PRIMARY KEY, file TEXT NOT NULL UNIQUE, hash TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL,
  title TEXT NOT NULL, publisher TEXT NOT NULL, url TEXT NOT NULL, published TEXT NOT NULL, author TEXT NOT NULL,
  passages INTEGER NOT NULL
) STRICT;
-- Apart from the metadata, which is read whole on open: with bodies in the same rows that read walked every body's pages.
CREATE TABLE bodies (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT;
CREATE TABLE passages (
  label INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article_id TEXT NOT NULL, n INTEGER NOT NULL, kind TEXT NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL,
  -- JSON [[start, end, source|null, quoteStart, quoteEnd, quoted 0|1], …] per sentence: attribution is computed at index time
  sentences TEXT NOT NULL,
  graph TEXT NOT NULL CHECK (graph IN ('main', 'delta'))
) STRICT;
CREATE INDEX passages_by_article ON passages(article_id, n);
-- Points whose passage is gone. The main graph file is shared between builds and never rewritten for them;
-- the delta file records its own deletions, so its rows only count them.
CREATE TABLE dead_labels (label INTEGER PRIMARY KEY, graph TEXT NOT NULL CHECK (graph IN ('main', 'delta'))) STRICT;
-- Normalised terms (one tokenizer: lexicalTokens), space-joined; contentless, so the text is stored once, in articles.
CREATE VIRTUAL TABLE passage_terms USING fts5(text, title, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
-- Terms per passage (text and title), a little-endian uint32 per label (0: no live passage), for BM25's length normalisation.
CREATE TABLE lexical_lengths (id INTEGER PRIMARY KEY CHECK (id = 0), lengths BLOB NOT NULL) STRICT;
INSERT INTO passage_terms(passage_terms, rank) VALUES ('rank', 'bm25(1.0, 0.3)');
${POSTINGS_SCHEMA}${FACTS_SCHEMA}`;

/** What a build records about itself, in `meta`. */
export const manifestSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  builtAt: z.string(),
  buildMs: z.number(),
  embedder: z.object({ name: z.string(), dimensions: z.number().int().positive() }),
  /** Graph parameters the build used (efSearch is a serving setting and may differ). */
  hnsw: z.object({ m: z.number().int(), efConstruction: z.number().int() }),
  passages: z.number().int(),
  /** Files that were skipped, with the reason. */
  problems: z.array(z.object({ file: z.string(), problem: z.string() })),
  /** sha256 of each graph file: a damaged graph means a rebuild. */
  files: z.record(z.string(), z.string()),
  /**
   * Size and mtime of each graph file as written. No proof that a file is intact (every file is hashed
   * against `files` before it is read); what a copied main graph file is recorded with.
   */
  fileStats: z.record(z.string(), z.object({ size: z.number().int(), mtimeMs: z.number() })).default({}),
  /** Next HNSW label to hand out. */
  nextLabel: z.number().int().nonnegative(),
});

export type StoredManifest = z.infer<typeof manifestSchema>;

/** Memory and durability settings of the SQLite connection. */
export interface DatabaseOptions {
  /** Page cache per connection, in MiB. Default 16. */
  cacheMb?: number;
  /** Open for reading only (serving). Default false. */
  readonly?: boolean;
}

/**
 * Open a build's database; a new file gets the schema. A writer uses WAL; a finished build is left in
 * rollback mode (`finishDatabase`), so that a reader needs no `-wal` or `-shm` file next to it and a
 * build on a read-only disk opens as it is.
 */
export function openDatabase(file: string, opts: DatabaseOptions & { create?: boolean } = {}): Database.Database {
  const db = new Database(file, { fileMustExist: !opts.create, readonly: opts.readonly === true });
  db.pragma(`cache_size = -${(opts.cacheMb ?? 16) * 1024}`);
  // A finished build is never written again: a reader keeps its shared lock and its page cache for good,
  // instead of locking, looking for a hot journal and re-reading the header for every statement (in
  // rollback mode that made an ask 1.7 times slower). Not for a WAL file (builds of earlier versions):
  // there, exclusive locking would shut out every other reader.
  if (opts.readonly && db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("locking_mode = EXCLUSIVE");
  if (!opts.readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  if (opts.create) db.exec(SCHEMA);
  return db;
}

/** Read the manifest row; undefined values and shapes are reported, not thrown. */
export function readManifest(db: Database.Database): { manifest: StoredManifest } | { format: unknown } | { invalid: string } {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'manifest'").pluck().get() as string | undefined;
  if (row === undefined) return { invalid: "no manifest" };
  const json = JSON.parse(row) as { format?: unknown };
  if (json.format !== INDEX_FORMAT) return { format: json.format };
  const parsed = manifestSchema.safeParse(json);
  return parsed.success ? { manifest: parsed.data } : { invalid: parsed.error.issues[0]?.message ?? "invalid" };
}

export function writeManifest(db: Database.Database, manifest: StoredManifest): void {
  db.prepare("INSERT INTO meta(key, value) VALUES ('manifest', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(manifest));
}

/**
 * Close a written build for good: its last WAL frames copied in, and the file switched back to rollback
 * mode. Nobody writes to a finished build again, and a WAL-mode file cannot be opened where its folder
 * is read-only (SQLite wants to create `-shm` next to it, even to read).
 */
export function finishDatabase(db: Database.Database): void {
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.pragma("journal_mode = DELETE");
  db.close();
}
