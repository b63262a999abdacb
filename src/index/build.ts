import { closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { CorpusProblem } from "../corpus/article.js";
import { scanCorpus, type CorpusFileStat } from "../corpus/scan.js";
import { embedPassages, type PassageEmbedder } from "../embeddings/provider.js";
import { DB_FILE, INDEX_FORMAT, finishDatabase, openDatabase, readManifest, writeManifest, type StoredManifest } from "./database.js";
import { DEFAULT_HNSW, GRAPH_FILES, HnswStore, fileStat, sha256File, type FileStat, type HnswSettings } from "./hnsw-store.js";
import { dropFacts, writeFacts } from "./facts.js";
import { GraphWriter } from "./graph-writer.js";
import { LexicalIndex, readLengths, writeLengths } from "./lexical.js";
import { PostingWriter, deadPostingShare, vacuumPostings } from "./postings.js";
import { prepareFiles, type FileToPrepare, type PreparedArticle, type PreparedFile } from "./prepare.js";
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
   * Reads and prepares (parses, splits, attributes, embeds) a batch of corpus files, in order. Default:
   * `prepareFiles` in this thread. The build process passes a worker-thread pool so both cores work.
   */
  prepare?: ((corpusDir: string, files: FileToPrepare[], embedder: PassageEmbedder) => Promise<PreparedFile[]>) | undefined;
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
/** Rebuild the main graph from its live points, and vacuum the posting lists, once deleted passages exceed this share. */
const COMPACT_AT = 0.25;
/** Rewrite the database (SQLite's `VACUUM`) once free pages, left by deleted rows, exceed this share of the file. */
const VACUUM_AT = 0.25;

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

/** Where a build writes: opened on the first write, so that a re-index that changes nothing writes nothing. */
interface Target {
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
 * Bring the index up to date with the corpus folder, at a cost proportional to what changed: files are
 * compared by size and mtime first and hashed only when those differ; unchanged articles keep their
 * rows and vectors. The new build is a copy of the previous database plus a new delta graph (the main
 * graph file is shared), written into a fresh folder and switched in atomically. A file that cannot be
 * read or parsed is reported in the summary and skipped; it never fails the build.
 *
 * Files stream through: they are read, parsed and prepared in batches (`prepare`, worker threads for
 * large builds) and written batch by batch, in corpus order, so no more than a few batches of article
 * bodies are in memory at once, whatever the corpus size.
 */
export async function writeBuild(opts: BuildOptions): Promise<WrittenBuild> {
  const t0 = performance.now();
  const { corpusDir, dataDir } = opts;
  const settings: HnswSettings = { ...DEFAULT_HNSW, ...opts.hnsw };
  const progress = opts.onProgress ?? (() => {});
  progress({ phase: "load", done: 0, total: 1 });
  const prev = openPrevious(opts.previous?.dir, opts.embedder);
  let target: Target | undefined;
  let switched = false;
  try {
    const scan = scanCorpus(corpusDir);
    const isUnchanged = (f: CorpusFileStat, old: { size: number; mtimeMs: number } | undefined) => old !== undefined && old.size === f.size && old.mtimeMs === f.mtimeMs;
    // Files whose size or mtime differ from what was indexed are read; the rest keep their rows.
    const toRead: FileToPrepare[] = [];
    for (const f of scan.files) {
      const old = prev?.byFile.get(f.file);
      if (!isUnchanged(f, old)) toRead.push({ file: f.file, ...(old ? { indexed: { id: old.id, hash: old.hash } } : {}) });
    }
    let embedder = opts.embedder;
    const full = !prev;
    const graph = full ? "main" : "delta";
    // Starting workers costs more than a few articles do: small updates are prepared here.
    const prepare = opts.prepare && toRead.length > 2 * BATCH ? opts.prepare : prepareFiles;
    const batches: FileToPrepare[][] = [];
    for (let i = 0; i < toRead.length; i += BATCH) batches.push(toRead.slice(i, i + BATCH));
    // Batches in flight, so the pool prepares the next ones while this thread writes.
    const ahead = prepare === prepareFiles ? 1 : IN_FLIGHT;
    const pending = batches.slice(0, ahead).map((b) => prepare(corpusDir, b, embedder));
    const total = toRead.length;
    progress({ phase: "embed", done: 0, total });

    const open = async (): Promise<Target> => (target ??= await openTarget(dataDir, prev, embedder, settings, opts.cacheMb, full && prepare !== prepareFiles));
    let nextLabel = prev?.manifest.nextLabel ?? 0;
    // BM25's passage lengths by label, carried over from the previous build and updated in place.
    let lengths = prev ? readLengths(prev.db) : new Uint32Array(0);
    const setLength = (label: number, n: number) => {
      if (label >= lengths.length) {
        const grown = new Uint32Array(Math.max(label + 1, Math.ceil(lengths.length * 1.5), 1024));
        grown.set(lengths);
        lengths = grown;
      }
      lengths[label] = n;
    };
    const prevIds = new Map([...(prev?.byFile.values() ?? [])].map((e) => [e.id, e]));
    const dropArticle = (t: Target, id: string) => {
      const body = t.stmts.body.get(id) ?? "";
      // The same rule as when it was added (prepare.ts), from the same stored title and body.
      const titleTerms = LexicalIndex.titleRow(t.stmts.title.get(id) ?? "", body);
      for (const p of t.stmts.passagesOf.all(id)) {
        // The terms it was written with, from the same text and tokenizer (a changed tokenizer is a new index format).
        t.postings.remove(LexicalIndex.row(body.slice(p.start, p.end), "").text, titleTerms);
        t.stmts.deleteTerms.run(p.label);
        if (p.label < lengths.length) lengths[p.label] = 0;
        t.stmts.dead.run(p.label, p.graph);
        if (p.graph === "delta") t.store.markDeleted("delta", p.label);
      }
      dropFacts(t.db, id);
      t.stmts.deletePassages.run(id);
      t.stmts.deleteArticle.run(id);
      t.stmts.deleteBody.run(id);
    };
    const addPoints = async (t: Target, vectors: Float32Array, labels: number[]) => {
      if (labels.length === 0) return;
      if (t.writer) await t.writer.add(vectors, labels);
      else t.store.addPoints(graph, labels.map((_, i) => vectors.subarray(i * embedder.dimensions, (i + 1) * embedder.dimensions)), labels);
    };

    // The corpus in order, as when loading it: one article per id, the first file in sorted order wins.
    const problems: CorpusProblem[] = [...scan.problems];
    const duplicates: CorpusProblem[] = [];
    const claimed = new Map<string, string>();
    const claim = (file: string, id: string): boolean => {
      const other = claimed.get(id);
      if (other === undefined) claimed.set(id, file);
      else duplicates.push({ file, problem: `duplicate id "${id}" (already used by ${other})` });
      return other === undefined;
    };
    const added: string[] = [];
    const changed: string[] = [];
    const touched: Array<{ id: string; size: number; mtimeMs: number }> = [];
    /** Articles whose vectors lack words the cache had to be grown for: embedded again at the end. */
    const heldBack: string[] = [];
    const missing = new Set<string>();
    let unchanged = 0;
    let embedded = 0;
    let writes: PreparedArticle[] = [];
    const flush = async () => {
      if (writes.length === 0) return;
      const t = await open();
      const batch = writes;
      writes = [];
      const vectors: Float32Array[] = [];
      const batchLabels: number[] = [];
      t.db.transaction(() => {
        for (const { article: a, titleTerms, passages, vectors: flat, missing: lacking, facts } of batch) {
          if (prevIds.has(a.id)) dropArticle(t, a.id);
          const st = stats.get(a.file)!;
          t.stmts.insertArticle.run({ id: a.id, file: a.file, hash: a.hash, title: a.title, publisher: a.publisher, url: a.url, published: a.published, author: a.author, size: st.size, mtime_ms: st.mtimeMs, passages: passages.length });
          t.stmts.insertBody.run(a.id, a.body);
          const labels = passages.map((p) => {
            const label = nextLabel++;
            t.stmts.insertPassage.run({ label, id: p.id, article_id: a.id, n: p.n, kind: p.kind, start: p.start, end: p.end, sentences: p.sentences, graph });
            t.stmts.insertTerms.run(label, p.terms, titleTerms);
            t.postings.add(label, p.terms, titleTerms);
            setLength(label, p.length);
            return label;
          });
          writeFacts(t.db, a.id, facts, labels);
          embedded += passages.length;
          if (lacking.length > 0) {
            heldBack.push(a.id);
            for (const w of lacking) missing.add(w);
            continue;
          }
          vectors.push(flat);
          batchLabels.push(...labels);
        }
      })();
      await addPoints(t, concat(vectors), batchLabels);
    };

    const stats = new Map(scan.files.map((f) => [f.file, f]));
    let results: PreparedFile[] = [];
    let next = 0;
    let batch = 0;
    for (const f of scan.files) {
      const old = prev?.byFile.get(f.file);
      if (isUnchanged(f, old)) {
        if (claim(f.file, old!.id)) unchanged += 1;
        continue;
      }
      if (next === results.length) {
        await flush();
        results = await pending[batch]!;
        if (batch + ahead < batches.length) pending.push(prepare(corpusDir, batches[batch + ahead]!, embedder));
        progress({ phase: "embed", done: Math.min((batch + 1) * BATCH, total), total });
        batch += 1;
        next = 0;
      }
      const r = results[next++]!;
      if (r.file !== f.file) throw new Error(`index: prepared ${r.file} where ${f.file} was expected`);
      if ("unreadable" in r) {
        problems.push({ file: f.file, problem: old ? `unreadable (${r.unreadable}); the version indexed before is kept` : `unreadable: ${r.unreadable}` });
        if (old && claim(f.file, old.id)) unchanged += 1;
      } else if ("problem" in r) problems.push(r);
      else if ("same" in r) {
        if (claim(f.file, r.same)) {
          touched.push({ id: r.same, size: f.size, mtimeMs: f.mtimeMs });
          unchanged += 1;
        }
      } else if (claim(f.file, r.prepared.article.id)) {
        (prevIds.has(r.prepared.article.id) ? changed : added).push(r.prepared.article.id);
        writes.push(r.prepared);
      }
    }
    await flush();
    problems.push(...duplicates);
    // Gone, or now read from another file than before: its old rows go.
    const removed = [...prevIds.keys()].filter((id) => !claimed.has(id));
    const sameProblems = prev && JSON.stringify(prev.manifest.problems) === JSON.stringify(problems);
    if (prev && !target && removed.length === 0 && touched.length === 0 && sameProblems) {
      progress({ phase: "done", done: 1, total: 1 });
      const summary: ReindexSummary = { added, changed, removed, unchanged, articles: claimed.size, passages: prev.manifest.passages, embedded: 0, problems, ms: Math.round(performance.now() - t0), builtAt: prev.manifest.builtAt };
      return { dir: prev.dir, embedder: opts.embedder, summary };
    }
    const t = await open();
    const { db, store, dir, dbFile } = t;
    db.transaction(() => {
      for (const id of removed) dropArticle(t, id);
      for (const s of touched) t.stmts.touch.run(s.size, s.mtimeMs, s.id);
      t.postings.finish();
    })();
    // Posting entries of gone passages only cost search time; once they are a large share, they go.
    if (deadPostingShare(db) > COMPACT_AT) vacuumPostings(db, (label) => label < lengths.length && lengths[label]! > 0);

    // The cache grown by the words some articles needed, then those articles' vectors made with them.
    if (heldBack.length > 0 && embedder.withWords) {
      embedder = embedder.withWords(missing);
      const passagesOf = db.prepare<[string], { label: number; start: number; end: number }>("SELECT label, start, end FROM passages WHERE article_id = ? ORDER BY n");
      for (const id of heldBack) {
        const body = t.stmts.body.get(id)!;
        const rows = passagesOf.all(id);
        await addPoints(t, await embedPassages(embedder, rows.map((r) => body.slice(r.start, r.end)), new Set()), rows.map((r) => r.label));
      }
    }
    let graphWritten: { file: string; checksum: string; stat: FileStat } | undefined;
    try {
      if (t.writer) {
        const file = path.join(dir, GRAPH_FILES.main);
        await t.writer.write(file);
        graphWritten = { file, checksum: sha256File(file), stat: fileStat(file) };
      }
    } finally {
      await t.writer?.close();
    }

    progress({ phase: "write", done: 0, total: 1 });
    // Merge a grown delta into the main graph; rebuild the main graph once it is mostly holes.
    let mainDirty = full;
    const mainChecksum = prev?.manifest.files[GRAPH_FILES.main];
    const deadMain = deadCount(db, "main");
    if (!full && (store.slots("delta") > settings.deltaMax || deadMain > COMPACT_AT * Math.max(store.slots("delta") + (prev?.manifest.passages ?? 0), 1))) {
      if (mainChecksum) {
        rmSync(path.join(dir, GRAPH_FILES.main), { force: true });
        await store.loadGraph(prev!.dir, "main", mainChecksum);
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
      if (t.sharedMainStat) fileStats[GRAPH_FILES.main] = t.sharedMainStat;
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
    // Deleted rows leave free pages that SQLite reuses but never gives back, and every later build copies
    // them: a 20 MB article removed left a 2-article index at 43 MB. Past a share, the file is rewritten.
    if (freeShare(db) > VACUUM_AT) db.exec("VACUUM");
    finishDatabase(db);
    if (!prev) syncFile(dbFile);
    rmSync(path.join(dir, "BUILDING"));
    if (opts.shouldSwitch && !opts.shouldSwitch()) throw new Error("index: build abandoned before the switch");
    await switchTo(dataDir, dir);
    switched = true;
    pruneBuilds(dataDir, dir);
    progress({ phase: "done", done: 1, total: 1 });
    const summary: ReindexSummary = { added, changed, removed, unchanged, articles: claimed.size, passages, embedded, problems, ms: Math.round(performance.now() - t0), builtAt };
    return { dir, embedder, summary };
  } catch (err) {
    await target?.writer?.close();
    if (target?.db.open) target.db.close();
    // A failed build goes at once: on a full disk, each retry would otherwise leave another folder behind.
    if (target && !switched) removeQuietly(target.dir);
    throw err;
  } finally {
    if (prev?.db.open) prev.db.close();
  }
}

/**
 * A fresh build folder: the previous database copied (a checkpointed, closed file), the main graph
 * shared, the delta graph loaded to add to; or an empty database and graph for a build from scratch.
 */
async function openTarget(dataDir: string, prev: Previous | undefined, embedder: PassageEmbedder, settings: HnswSettings, cacheMb: number | undefined, graphThread: boolean): Promise<Target> {
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
      if (prev.manifest.files[GRAPH_FILES.main]) sharedMainStat = shareFile(path.join(prev.dir, GRAPH_FILES.main), path.join(dir, GRAPH_FILES.main), prev.manifest.files[GRAPH_FILES.main]!, prev.manifest.fileStats[GRAPH_FILES.main]);
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
    const labels = { idOf: (l: number) => idOf.get(l), passage: () => undefined };
    const store = prev?.manifest.files[GRAPH_FILES.delta]
      ? await HnswStore.load(prev.dir, embedder.embeddings, {
          dims: embedder.dimensions,
          settings,
          labels,
          checksums: { [GRAPH_FILES.delta]: prev.manifest.files[GRAPH_FILES.delta]! },
          dead: { main: [], delta: deadCount(db, "delta") },
        })
      : new HnswStore(embedder.embeddings, { dims: embedder.dimensions, settings, labels });
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
    passagesOf: db.prepare<[string], { label: number; graph: "main" | "delta"; start: number; end: number }>("SELECT label, graph, start, end FROM passages WHERE article_id = ?"),
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
    insertPassage: db.prepare("INSERT INTO passages(label, id, article_id, n, kind, start, end, sentences, graph) VALUES (@label, @id, @article_id, @n, @kind, @start, @end, @sentences, @graph)"),
    insertTerms: db.prepare<[number, string, string]>("INSERT INTO passage_terms(rowid, text, title) VALUES (?, ?, ?)"),
  };
}

/** Remove a failed build's folder; one that cannot be removed is left to the next prune. */
function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // A read-only or vanished folder: nothing more to do here.
  }
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

/** One buffer of the articles' vectors, to hand to the graph thread. */
function concat(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of vectors) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}

/** Share of the database file's pages that are free (deleted rows' space, kept for reuse). */
function freeShare(db: Database.Database): number {
  const pages = db.pragma("page_count", { simple: true }) as number;
  return pages > 0 ? (db.pragma("freelist_count", { simple: true }) as number) / pages : 0;
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

export interface BuildProgress {
  phase: "load" | "embed" | "write" | "done";
  done: number;
  total: number;
}

export interface ReindexSummary {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  articles: number;
  passages: number;
  /** Passages whose vectors were computed in this build (the rest were reused). */
  embedded: number;
  problems: CorpusProblem[];
  ms: number;
  builtAt: string;
}
