import { closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { Article, CorpusProblem } from "../corpus/article.js";
import { scanCorpus, type CorpusFileStat } from "../corpus/scan.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { BuildProgress, ReindexSummary } from "../core.js";
import { DB_FILE, INDEX_FORMAT, openDatabase, readManifest, writeManifest, type StoredManifest } from "./database.js";
import { DEFAULT_HNSW, GRAPH_FILES, HnswStore, fileStat, sha256File, type FileStat, type HnswSettings } from "./hnsw-store.js";
import { GraphWriter } from "./graph-writer.js";
import { readLengths, writeLengths } from "./lexical.js";
import { prepareArticles, type PreparedArticle } from "./prepare.js";
import { buildsDir, newBuildName, openBuild, pruneBuilds, switchTo, type IndexData, type Manifest } from "./store.js";

export interface BuildOptions {
  corpusDir: string;
  dataDir: string;
  embedder: PassageEmbedder;
  /** The build being served now: unchanged articles keep its passages and vectors. Default none (build from scratch). */
  previous?: { dir: string } | undefined;
  onProgress?: ((p: BuildProgress) => void) | undefined;
  /** Graph parameters. Default `DEFAULT_HNSW`. */
  hnsw?: Partial<HnswSettings> | undefined;
  /** SQLite page cache, MiB. Default 16. */
  cacheMb?: number | undefined;
  /**
   * Prepares (splits, attributes, embeds) a batch of articles. Default: in this thread. The build
   * process passes a worker-thread pool so both cores work.
   */
  prepare?: ((articles: Article[], embedder: PassageEmbedder) => Promise<PreparedArticle[]>) | undefined;
  /** Asked right before the switch; false abandons the build (whoever asked for it is gone). Default always true. */
  shouldSwitch?: (() => boolean) | undefined;
}

/** A build on disk: its folder, what it did, and the embedder after it (GloVe may have grown its vocabulary). */
export interface WrittenBuild {
  dir: string;
  embedder: PassageEmbedder;
  summary: ReindexSummary;
}

export interface BuildResult extends WrittenBuild {
  index: IndexData;
}

/** Articles prepared and written per transaction. */
const BATCH = 64;
/** Batches handed to the prepare pool ahead of the one being written. */
const IN_FLIGHT = 4;
/** Rebuild the main graph from its live points once deleted ones exceed this share. */
const COMPACT_AT = 0.25;

/** Build, then open the result for serving (tests, and callers that build in-process). */
export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  const written = await writeBuild(opts);
  const index = await openBuild(written.dir, written.embedder, { hnsw: { ...DEFAULT_HNSW, ...opts.hnsw }, ...(opts.cacheMb ? { cacheMb: opts.cacheMb } : {}) });
  if ("reason" in index) throw new Error(`index: the build just written does not open: ${index.detail}`);
  return { ...written, index };
}

interface Previous {
  dir: string;
  db: Database.Database;
  manifest: StoredManifest;
  /** By file: the article indexed from it. */
  byFile: Map<string, { id: string; hash: string; size: number; mtimeMs: number }>;
}

/**
 * Bring the index up to date with the corpus folder, at a cost proportional to what changed: files are
 * compared by size and mtime first and hashed only when those differ; unchanged articles keep their
 * rows and vectors. The new build is a copy of the previous database plus a new delta graph (the main
 * graph file is shared), written into a fresh folder and switched in atomically. A file that cannot be
 * read or parsed is reported in the summary and skipped; it never fails the build.
 */
export async function writeBuild(opts: BuildOptions): Promise<WrittenBuild> {
  const t0 = performance.now();
  const { corpusDir, dataDir } = opts;
  const settings: HnswSettings = { ...DEFAULT_HNSW, ...opts.hnsw };
  const progress = opts.onProgress ?? (() => {});
  progress({ phase: "load", done: 0, total: 1 });
  // Parsing corpus files pulls in front matter, date and encoding libraries: only builds need them.
  const { parseArticleFile } = await import("../corpus/load.js");
  const prev = openPrevious(opts.previous?.dir, opts.embedder);
  try {
    const scan = scanCorpus(corpusDir);
    const problems: CorpusProblem[] = [...scan.problems];
    // Each file: unchanged (same size and mtime, or same hash), or parsed afresh.
    type Seen = { file: string; id: string; size: number; mtimeMs: number; article?: Article; touched?: boolean };
    const seen: Seen[] = [];
    for (const f of scan.files) {
      const old = prev?.byFile.get(f.file);
      if (old && old.size === f.size && old.mtimeMs === f.mtimeMs) {
        seen.push({ file: f.file, id: old.id, size: f.size, mtimeMs: f.mtimeMs });
        continue;
      }
      let raw: Buffer;
      try {
        raw = readFileSync(path.join(corpusDir, f.file));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        problems.push({ file: f.file, problem: old ? `unreadable (${code}); the version indexed before is kept` : `unreadable: ${code}` });
        if (old) seen.push({ file: f.file, id: old.id, size: old.size, mtimeMs: old.mtimeMs });
        continue;
      }
      const parsed = parseArticleFile(f.file, raw);
      if ("problem" in parsed) {
        problems.push(parsed);
        continue;
      }
      if (old && old.hash === parsed.hash && old.id === parsed.id) seen.push({ file: f.file, id: old.id, size: f.size, mtimeMs: f.mtimeMs, touched: true });
      else seen.push({ file: f.file, id: parsed.id, size: f.size, mtimeMs: f.mtimeMs, article: parsed });
    }
    // One article per id: the first file in sorted order wins, as when loading a corpus.
    const winners = new Map<string, Seen>();
    for (const s of seen) {
      const other = winners.get(s.id);
      if (other) problems.push({ file: s.file, problem: `duplicate id "${s.id}" (already used by ${other.file})` });
      else winners.set(s.id, s);
    }
    const prevIds = new Map([...(prev?.byFile.values() ?? [])].map((e) => [e.id, e]));
    const fresh = [...winners.values()].filter((s) => s.article).map((s) => s.article!);
    const added = fresh.filter((a) => !prevIds.has(a.id)).map((a) => a.id);
    const changed = fresh.filter((a) => prevIds.has(a.id)).map((a) => a.id);
    // Gone, or now read from another file than before: its old rows go.
    const removed = [...prevIds.keys()].filter((id) => !winners.has(id));
    const touched = [...winners.values()].filter((s) => s.touched);
    const unchanged = winners.size - fresh.length;
    const sameProblems = prev && JSON.stringify(prev.manifest.problems) === JSON.stringify(problems);

    if (prev && fresh.length === 0 && removed.length === 0 && touched.length === 0 && sameProblems) {
      progress({ phase: "done", done: 1, total: 1 });
      const summary: ReindexSummary = { added, changed, removed, unchanged, articles: winners.size, passages: prev.manifest.passages, embedded: 0, problems, ms: Math.round(performance.now() - t0), builtAt: prev.manifest.builtAt };
      return { dir: prev.dir, embedder: opts.embedder, summary };
    }

    let embedder = opts.embedder;
    if (embedder.withVocabulary && fresh.length > 0) embedder = embedder.withVocabulary(fresh.map((a) => a.body));

    // A fresh folder: the previous database copied (a checkpointed, closed file), the main graph shared.
    const dir = path.join(buildsDir(dataDir), newBuildName());
    mkdirSync(path.join(dir, "hnsw"), { recursive: true });
    // Who is writing: this process and the one that asked for the build. Pruning leaves the folder alone while both live.
    writeFileSync(path.join(dir, "BUILDING"), `${process.pid} ${process.ppid}\n`);
    const dbFile = path.join(dir, DB_FILE);
    let sharedMainStat: FileStat | undefined;
    if (prev) {
      prev.db.close();
      // A reflink where the file system has them (one extent map, not 100+ MB of data), else a copy.
      copyFileSync(path.join(prev.dir, DB_FILE), dbFile, constants.COPYFILE_FICLONE);
      if (prev.manifest.files[GRAPH_FILES.main]) sharedMainStat = shareFile(path.join(prev.dir, GRAPH_FILES.main), path.join(dir, GRAPH_FILES.main), prev.manifest.files[GRAPH_FILES.main]!, prev.manifest.fileStats[GRAPH_FILES.main]);
    }
    const db = openDatabase(dbFile, { create: !prev, ...(opts.cacheMb ? { cacheMb: opts.cacheMb } : {}) });
    // A build from scratch writes a folder nobody reads until it is switched in, and a crash leaves
    // only leftovers that the next open removes: no journal and no syncs while writing (one at the end).
    if (!prev) {
      db.pragma("journal_mode = OFF");
      db.pragma("synchronous = OFF");
    }
    try {
      const idOf = db.prepare<[number], string>("SELECT id FROM passages WHERE label = ?").pluck();
      const labels = { idOf: (l: number) => idOf.get(l), document: () => undefined };
      const store = prev?.manifest.files[GRAPH_FILES.delta]
        ? await HnswStore.load(prev.dir, embedder.embeddings, {
            dims: embedder.dimensions,
            settings,
            labels,
            checksums: { [GRAPH_FILES.delta]: prev.manifest.files[GRAPH_FILES.delta]! },
            stats: prev.manifest.fileStats,
            dead: { main: [], delta: deadCount(db, "delta") },
          })
        : new HnswStore(embedder.embeddings, { dims: embedder.dimensions, settings, labels });
      let nextLabel = prev?.manifest.nextLabel ?? 0;
      // BM25's passage lengths by label, carried over from the previous build and updated in place.
      let lengths = readLengths(db);
      const setLength = (label: number, n: number) => {
        if (label >= lengths.length) {
          const grown = new Uint32Array(Math.max(label + 1, Math.ceil(lengths.length * 1.5), 1024));
          grown.set(lengths);
          lengths = grown;
        }
        lengths[label] = n;
      };
      let graphWritten: { file: string; checksum: string; stat: FileStat } | undefined;

      // Old rows of changed and removed articles.
      const dropIds = [...changed, ...removed];
      const stmts = statements(db);
      db.transaction(() => {
        for (const id of dropIds) {
          for (const p of stmts.passagesOf.all(id)) {
            stmts.deleteTerms.run(p.label);
            if (p.label < lengths.length) lengths[p.label] = 0;
            stmts.dead.run(p.label, p.graph);
            if (p.graph === "delta") store.markDeleted("delta", p.label);
          }
          stmts.deletePassages.run(id);
          stmts.deleteArticle.run(id);
          stmts.deleteBody.run(id);
        }
        for (const s of touched) stmts.touch.run(s.size, s.mtimeMs, s.id);
      })();

      // New and changed articles: prepared in batches (in worker threads when given a pool), then written.
      const full = !prev;
      const graph = full ? "main" : "delta";
      const stats = new Map(scan.files.map((f) => [f.file, f]));
      // Starting workers costs more than a few articles do: small updates are prepared here.
      const prepare = opts.prepare && fresh.length > 2 * BATCH ? opts.prepare : prepareArticles;
      const total = fresh.length;
      let embedded = 0;
      progress({ phase: "embed", done: 0, total });
      const batches: Article[][] = [];
      for (let i = 0; i < fresh.length; i += BATCH) batches.push(fresh.slice(i, i + BATCH));
      // Batches in flight, so the pool prepares the next ones while this thread writes.
      const ahead = prepare === prepareArticles ? 1 : IN_FLIGHT;
      const pending = batches.slice(0, ahead).map((b) => prepare(b, embedder));
      // A large new main graph is built in a thread of its own, next to this one's SQLite writes.
      const writer = full && prepare !== prepareArticles ? new GraphWriter(embedder.dimensions, settings) : undefined;
      try {
        for (let b = 0; b < batches.length; b++) {
          const prepared = await pending[b]!;
          if (b + ahead < batches.length) pending.push(prepare(batches[b + ahead]!, embedder));
          const vectors: Float32Array[] = [];
          const batchLabels: number[] = [];
          db.transaction(() => {
            for (const { article: a, titleTerms, passages, vectors: flat } of prepared) {
              const st = stats.get(a.file)!;
              stmts.insertArticle.run({ id: a.id, file: a.file, hash: a.hash, title: a.title, publisher: a.publisher, url: a.url, published: a.published, author: a.author, size: st.size, mtime_ms: st.mtimeMs, passages: passages.length });
            stmts.insertBody.run(a.id, a.body);
              passages.forEach((p, i) => {
                const label = nextLabel++;
                stmts.insertPassage.run({ label, id: p.id, article_id: a.id, n: p.n, kind: p.kind, start: p.start, end: p.end, sentences: JSON.stringify(p.sentences), graph });
                stmts.insertTerms.run(label, p.terms, titleTerms);
                setLength(label, p.length);
                vectors.push(flat.subarray(i * embedder.dimensions, (i + 1) * embedder.dimensions));
                batchLabels.push(label);
              });
              embedded += passages.length;
            }
          })();
          if (writer) writer.add(concat(vectors, embedder.dimensions), batchLabels);
          else store.addPoints(graph, vectors, batchLabels);
          progress({ phase: "embed", done: Math.min((b + 1) * BATCH, total), total });
        }
        if (writer) {
          const file = path.join(dir, GRAPH_FILES.main);
          await writer.write(file);
          graphWritten = { file, checksum: sha256File(file), stat: fileStat(file) };
        }
      } finally {
        await writer?.close();
      }

      progress({ phase: "write", done: 0, total: 1 });
      // Merge a grown delta into the main graph; rebuild the main graph once it is mostly holes.
      let mainDirty = full;
      const mainChecksum = prev?.manifest.files[GRAPH_FILES.main];
      const deadMain = deadCount(db, "main");
      if (!full && (store.slots("delta") > settings.deltaMax || deadMain > COMPACT_AT * Math.max(store.slots("delta") + (prev?.manifest.passages ?? 0), 1))) {
        if (mainChecksum) {
          rmSync(path.join(dir, GRAPH_FILES.main), { force: true });
          await store.loadGraph(prev!.dir, "main", mainChecksum, prev!.manifest.fileStats[GRAPH_FILES.main]);
        }
        const dead = db.prepare<[], number>("SELECT label FROM dead_labels WHERE graph = 'main'").pluck().all();
        const compact = dead.length > COMPACT_AT * Math.max(store.slots("main"), 1);
        if (compact) store.compactMain(new Set(dead));
        else for (const l of dead) store.markDeleted("main", l);
        store.mergeDelta();
        // The new main file records its deleted points, but loading counts them from this table: keep
        // main's rows unless compaction dropped those points; the delta's dead points were not moved.
        db.exec(`DELETE FROM dead_labels WHERE graph = 'delta'${compact ? " OR graph = 'main'" : ""}; UPDATE passages SET graph = 'main' WHERE graph = 'delta'`);
        mainDirty = true;
      }
      const { files, stats: fileStats } = await store.save(dir, { main: mainDirty });
      if (!mainDirty && mainChecksum) {
        files[GRAPH_FILES.main] = mainChecksum;
        if (sharedMainStat) fileStats[GRAPH_FILES.main] = sharedMainStat;
      }
      if (graphWritten) {
        files[GRAPH_FILES.main] = graphWritten.checksum;
        fileStats[GRAPH_FILES.main] = graphWritten.stat;
      }
      const passages = db.prepare("SELECT count(*) FROM passages").pluck().get() as number;
      const builtAt = new Date().toISOString();
      const manifest: StoredManifest = {
        format: INDEX_FORMAT,
        builtAt,
        buildMs: Math.round(performance.now() - t0),
        embedder: { name: embedder.name, dimensions: embedder.dimensions },
        hnsw: mainDirty || !prev ? { m: settings.m, efConstruction: settings.efConstruction } : prev.manifest.hnsw,
        passages,
        problems,
        files,
        fileStats,
        nextLabel,
      };
      const stored = new Uint32Array(nextLabel);
      stored.set(lengths.subarray(0, Math.min(lengths.length, nextLabel)));
      writeLengths(db, stored);
      writeManifest(db, manifest);
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
      if (!prev) syncFile(dbFile);
      rmSync(path.join(dir, "BUILDING"));
      if (opts.shouldSwitch && !opts.shouldSwitch()) throw new Error("index: build abandoned before the switch");
      await switchTo(dataDir, dir);
      pruneBuilds(dataDir, dir);
      progress({ phase: "done", done: 1, total: 1 });
      const summary: ReindexSummary = { added, changed, removed, unchanged, articles: winners.size, passages, embedded, problems, ms: Math.round(performance.now() - t0), builtAt };
      return { dir, embedder, summary };
    } catch (err) {
      if (db.open) db.close();
      throw err;
    }
  } finally {
    if (prev?.db.open) prev.db.close();
  }
}

/** The previous build, if it can be built upon: same format and embedder. Anything else means a full build. */
function openPrevious(dir: string | undefined, embedder: PassageEmbedder): Previous | undefined {
  if (!dir || !existsSync(path.join(dir, DB_FILE))) return undefined;
  let db: Database.Database | undefined;
  try {
    db = openDatabase(path.join(dir, DB_FILE), { readonly: true });
    const read = readManifest(db);
    if (!("manifest" in read) || read.manifest.embedder.name !== embedder.name || read.manifest.embedder.dimensions !== embedder.dimensions) {
      db.close();
      return undefined;
    }
    const rows = db.prepare("SELECT id, file, hash, size, mtime_ms AS mtimeMs FROM articles").all() as Array<{ id: string; file: string; hash: string; size: number; mtimeMs: number }>;
    return { dir, db, manifest: read.manifest, byFile: new Map(rows.map((r) => [r.file, r])) };
  } catch {
    db?.close();
    return undefined;
  }
}

function statements(db: Database.Database) {
  return {
    passagesOf: db.prepare<[string], { label: number; graph: "main" | "delta" }>("SELECT label, graph FROM passages WHERE article_id = ?"),
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
    insertPassage: db.prepare("INSERT INTO passages(label, id, article_id, n, kind, start, end, sentences, graph) VALUES (@label, @id, @article_id, @n, @kind, @start, @end, @sentences, @graph)"),
    insertTerms: db.prepare<[number, string, string]>("INSERT INTO passage_terms(rowid, text, title) VALUES (?, ?, ?)"),
  };
}

/** Flush a file written without syncs to disk before it can be switched in. */
function syncFile(file: string): void {
  const fd = openSync(file, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One buffer of `dims` floats per vector, to hand to the graph thread. */
function concat(vectors: Float32Array[], dims: number): Float32Array {
  const out = new Float32Array(vectors.length * dims);
  vectors.forEach((v, i) => out.set(v, i * dims));
  return out;
}

function deadCount(db: Database.Database, graph: "main" | "delta"): number {
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

/**
 * Has any corpus file changed since this build? Stat only, so it is cheap at start-up. `scan`: the
 * folder's `scanCorpus`, when already made.
 */
export function corpusChanged(corpusDir: string, index: Pick<IndexData, "manifest" | "corpusFiles">, scan?: { files: CorpusFileStat[]; problems: CorpusProblem[] }): boolean {
  const { files, problems } = scan ?? scanCorpus(corpusDir);
  const known = index.corpusFiles();
  const problemFiles = new Set(index.manifest.problems.map((p) => p.file));
  if (problems.some((p) => !problemFiles.has(p.file))) return true;
  const listed = new Set(files.map((f) => f.file));
  for (const file of known.keys()) if (!listed.has(file) && !problemFiles.has(file)) return true;
  for (const f of files) {
    if (problemFiles.has(f.file)) continue;
    const entry = known.get(f.file);
    if (!entry || f.size !== entry.size || f.mtimeMs !== entry.mtimeMs) return true;
  }
  return false;
}
