import { closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { PassageEmbedder } from "../embeddings/provider.js";
import { DB_FILE, openDatabase, readManifest, type StoredManifest } from "./database.js";
import { GRAPH_FILES, HnswStore, fileStat, sha256File, type FileStat, type HnswSettings } from "./hnsw-store.js";
import { GraphWriter } from "./graph-writer.js";
import { PostingWriter } from "./postings.js";
import { buildsDir, newBuildName } from "./store.js";

/** The build a new one starts from: its database (read-only) and what it indexed from each file. */
export interface Previous {
  dir: string;
  db: Database.Database;
  manifest: StoredManifest;
  /** By file: the article indexed from it. */
  byFile: Map<string, { id: string; hash: string; size: number; mtimeMs: number }>;
}

/** Where a build writes: opened on the first write, so that a re-index that changes nothing writes nothing. */
export interface Target {
  dir: string;
  dbFile: string;
  db: Database.Database;
  store: HnswStore;
  stmts: ReturnType<typeof statements>;
  postings: PostingWriter;
  /** The graph thread of a large build from scratch. */
  writer: GraphWriter | undefined;
  sharedMainStat: FileStat | undefined;
}

/**
 * A fresh build folder: the previous database copied (a checkpointed, closed file), the main graph
 * shared, the delta graph loaded to add to; or an empty database and graph for a build from scratch.
 */
export async function openTarget(
  dataDir: string,
  prev: Previous | undefined,
  embedder: PassageEmbedder,
  settings: HnswSettings,
  cacheMb: number | undefined,
  graphThread: boolean,
): Promise<Target> {
  const dir = path.join(buildsDir(dataDir), newBuildName());
  const dbFile = path.join(dir, DB_FILE);
  let sharedMainStat: FileStat | undefined;
  let db: Database.Database;
  try {
    mkdirSync(path.join(dir, "hnsw"), { recursive: true });
    // Who is writing: this process and the one that asked for the build. Pruning leaves the folder alone while both live.
    writeFileSync(path.join(dir, "BUILDING"), `${process.pid} ${process.ppid}\n`);
    if (prev) {
      prev.db.close();
      // A reflink where the file system has them (one extent map, not 100+ MB of data), else a copy.
      copyFileSync(path.join(prev.dir, DB_FILE), dbFile, constants.COPYFILE_FICLONE);
      if (prev.manifest.files[GRAPH_FILES.main])
        sharedMainStat = shareFile(
          path.join(prev.dir, GRAPH_FILES.main),
          path.join(dir, GRAPH_FILES.main),
          prev.manifest.files[GRAPH_FILES.main]!,
          prev.manifest.fileStats[GRAPH_FILES.main],
        );
    }
    db = openDatabase(dbFile, { create: !prev, ...(cacheMb ? { cacheMb } : {}) });
  } catch (err) {
    removeQuietly(dir);
    throw err;
  }
  try {
    // A build from scratch writes a folder nobody reads until it is switched in, and a crash leaves
    // only leftovers that the next open removes: no journal and no syncs while writing (one at the end).
    if (!prev) {
      db.pragma("journal_mode = OFF");
      db.pragma("synchronous = OFF");
    }
    const idOf = db.prepare<[number], string>("SELECT id FROM passages WHERE label = ?").pluck();
    const labels = { idOf: (l: number) => idOf.get(l) };
    const store = prev?.manifest.files[GRAPH_FILES.delta]
      ? await HnswStore.load(prev.dir, {
          dims: embedder.dimensions,
          settings,
          labels,
          checksums: { [GRAPH_FILES.delta]: prev.manifest.files[GRAPH_FILES.delta]! },
          dead: { main: [], delta: deadCount(db, "delta") },
        })
      : new HnswStore({ dims: embedder.dimensions, settings, labels });
    // A large new main graph is built in a thread of its own, next to this one's SQLite writes.
    const writer = graphThread ? new GraphWriter(embedder.dimensions, settings) : undefined;
    return { dir, dbFile, db, store, stmts: statements(db), postings: new PostingWriter(db), writer, sharedMainStat };
  } catch (err) {
    db.close();
    removeQuietly(dir);
    throw err;
  }
}

/** The previous build, if it can be built upon: same format and embedder. Anything else means a full build. */
export function openPrevious(dir: string | undefined, embedder: PassageEmbedder): Previous | undefined {
  if (!dir || !existsSync(path.join(dir, DB_FILE))) return undefined;
  let db: Database.Database | undefined;
  try {
    db = openDatabase(path.join(dir, DB_FILE), { readonly: true });
    const read = readManifest(db);
    if (!("manifest" in read) || read.manifest.embedder.name !== embedder.name || read.manifest.embedder.dimensions !== embedder.dimensions) {
      db.close();
      return undefined;
    }
    const rows = db.prepare("SELECT id, file, hash, size, mtime_ms AS mtimeMs FROM articles").all() as Array<{
      id: string;
      file: string;
      hash: string;
      size: number;
      mtimeMs: number;
    }>;
    return { dir, db, manifest: read.manifest, byFile: new Map(rows.map((r) => [r.file, r])) };
  } catch {
    db?.close();
    return undefined;
  }
}

function statements(db: Database.Database) {
  return {
    passagesOf: db.prepare<[string], { label: number; graph: "main" | "delta"; start: number; end: number }>(
      "SELECT label, graph, start, end FROM passages WHERE article_id = ?",
    ),
    title: db.prepare<[string], string>("SELECT title FROM articles WHERE id = ?").pluck(),
    deleteTerms: db.prepare<[number]>("DELETE FROM passage_terms WHERE rowid = ?"),
    dead: db.prepare<[number, string]>("INSERT OR IGNORE INTO dead_labels(label, graph) VALUES (?, ?)"),
    deletePassages: db.prepare<[string]>("DELETE FROM passages WHERE article_id = ?"),
    deleteArticle: db.prepare<[string]>("DELETE FROM articles WHERE id = ?"),
    touch: db.prepare<[number, number, string]>("UPDATE articles SET size = ?, mtime_ms = ? WHERE id = ?"),
    insertArticle: db.prepare(
      "INSERT INTO articles(id, file, hash, size, mtime_ms, title, publisher, url, published, author, passages) VALUES (@id, @file, @hash, @size, @mtime_ms, @title, @publisher, @url, @published, @author, @passages)",
    ),
    insertBody: db.prepare<[string, string]>("INSERT INTO bodies(id, body) VALUES (?, ?)"),
    deleteBody: db.prepare<[string]>("DELETE FROM bodies WHERE id = ?"),
    body: db.prepare<[string], string>("SELECT body FROM bodies WHERE id = ?").pluck(),
    insertPassage: db.prepare(
      "INSERT INTO passages(label, id, article_id, n, kind, start, end, sentences, graph) VALUES (@label, @id, @article_id, @n, @kind, @start, @end, @sentences, @graph)",
    ),
    insertTerms: db.prepare<[number, string, string]>("INSERT INTO passage_terms(rowid, text, title) VALUES (?, ?, ?)"),
  };
}

/** Remove a failed build's folder; one that cannot be removed is left to the next prune. */
export function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // A read-only or vanished folder: nothing more to do here.
  }
}

/** Flush a file written without syncs to disk before it can be switched in. */
export function syncFile(file: string): void {
  const fd = openSync(file, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Share of the database file's pages that are free (deleted rows' space, kept for reuse). */
export function freeShare(db: Database.Database): number {
  const pages = db.pragma("page_count", { simple: true }) as number;
  return pages > 0 ? (db.pragma("freelist_count", { simple: true }) as number) / pages : 0;
}

export function deadCount(db: Database.Database, graph: "main" | "delta"): number {
  return db.prepare<[string], number>("SELECT count(*) FROM dead_labels WHERE graph = ?").pluck().get(graph) ?? 0;
}

/**
 * The main graph file is immutable once written: later builds hard-link it (the same file, so its
 * recorded stat still holds), or copy it where links fail (then the copy is hashed once, here, and
 * its own stat recorded). Returns the stat to record, if any.
 */
function shareFile(from: string, to: string, checksum: string, recorded: FileStat | undefined): FileStat | undefined {
  try {
    linkSync(from, to);
    return recorded;
  } catch {
    copyFileSync(from, to);
    return sha256File(to) === checksum ? fileStat(to) : undefined;
  }
}
