import { rmSync } from "node:fs";
import path from "node:path";
import type { CorpusProblem } from "../corpus/article.js";
import { scanCorpus, type CorpusFileStat } from "../corpus/scan.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import { INDEX_FORMAT, finishDatabase, writeManifest, type StoredManifest } from "./database.js";
import { DEFAULT_HNSW, type HnswSettings } from "./hnsw-store.js";
import type { FileToPrepare, PreparedFile } from "./prepare.js";
import { openBuild, pruneBuilds, switchTo, type IndexData } from "./store.js";
import { PreparedFiles, fileUnchanged, filesToRead, walkCorpus, type CorpusChanges } from "./_build-corpus.js";
import { mergeGraphs, saveGraphs, writeThreadGraph, type SavedGraphs } from "./_build-graph.js";
import { freeShare, openPrevious, removeQuietly, syncFile, type Previous, type Target } from "./_build-target.js";
import { BuildWriter } from "./_build-writer.js";

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

/** Rewrite the database (SQLite's `VACUUM`) once free pages, left by deleted rows, exceed this share of the file. */
const VACUUM_AT = 0.25;

/** Build, then open the result for serving (tests, and callers that build in-process). */
export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  const written = await writeBuild(opts);
  const index = await openBuild(written.dir, written.embedder, { hnsw: { ...DEFAULT_HNSW, ...opts.hnsw }, ...(opts.cacheMb ? { cacheMb: opts.cacheMb } : {}) });
  if ("reason" in index) throw new Error(`index: the build just written does not open: ${index.detail}`);
  return { ...written, index };
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
  const settings: HnswSettings = { ...DEFAULT_HNSW, ...opts.hnsw };
  const progress = opts.onProgress ?? (() => {});
  progress({ phase: "load", done: 0, total: 1 });
  const prev = openPrevious(opts.previous?.dir, opts.embedder);
  let writer: BuildWriter | undefined;
  let switched = false;
  try {
    const scan = scanCorpus(opts.corpusDir);
    const prepared = new PreparedFiles(opts.corpusDir, filesToRead(scan.files, prev), opts.embedder, opts.prepare, progress);
    writer = new BuildWriter({
      dataDir: opts.dataDir,
      prev,
      embedder: opts.embedder,
      settings,
      cacheMb: opts.cacheMb,
      graphThread: !prev && prepared.pooled,
      stats: new Map(scan.files.map((f) => [f.file, f])),
    });
    const changes = await walkCorpus(scan, prev, prepared, writer);
    // Gone, or now read from another file than before: its old rows go.
    const removed = [...writer.prevIds.keys()].filter((id) => !changes.ids.has(id));
    if (
      prev &&
      !writer.target &&
      removed.length === 0 &&
      changes.touched.length === 0 &&
      JSON.stringify(prev.manifest.problems) === JSON.stringify(changes.problems)
    ) {
      progress({ phase: "done", done: 1, total: 1 });
      return {
        dir: prev.dir,
        embedder: opts.embedder,
        summary: summaryOf(changes, removed, { passages: prev.manifest.passages, embedded: 0, builtAt: prev.manifest.builtAt }, t0),
      };
    }
    const t = await writer.open();
    writer.finishRows(t, removed, changes.touched);
    await writer.embedHeldBack(t);
    const threadGraph = await writeThreadGraph(t);
    progress({ phase: "write", done: 0, total: 1 });
    const mainDirty = !prev || (await mergeGraphs(t, prev, settings));
    const graphs = await saveGraphs(t, prev, mainDirty, threadGraph);
    const manifest = manifestOf(t, prev, writer, settings, graphs, changes.problems, t0);
    writer.storeLengths(t);
    writeManifest(t.db, manifest);
    seal(t, !prev);
    if (opts.shouldSwitch && !opts.shouldSwitch()) throw new Error("index: build abandoned before the switch");
    await switchTo(opts.dataDir, t.dir);
    switched = true;
    pruneBuilds(opts.dataDir, t.dir);
    progress({ phase: "done", done: 1, total: 1 });
    return {
      dir: t.dir,
      embedder: writer.embedder,
      summary: summaryOf(changes, removed, { passages: manifest.passages, embedded: writer.embedded, builtAt: manifest.builtAt }, t0),
    };
  } catch (err) {
    const target = writer?.target;
    await target?.writer?.close();
    if (target?.db.open) target.db.close();
    // A failed build goes at once: on a full disk, each retry would otherwise leave another folder behind.
    if (target && !switched) removeQuietly(target.dir);
    throw err;
  } finally {
    if (prev?.db.open) prev.db.close();
  }
}

/** The manifest of a new build: what it holds, how it was built, and its graph files' checksums. */
function manifestOf(
  t: Target,
  prev: Previous | undefined,
  writer: BuildWriter,
  settings: HnswSettings,
  graphs: SavedGraphs,
  problems: CorpusProblem[],
  t0: number,
): StoredManifest {
  const { embedder } = writer;
  const passages = t.db.prepare("SELECT count(*) FROM passages").pluck().get() as number;
  return {
    format: INDEX_FORMAT,
    builtAt: new Date().toISOString(),
    buildMs: Math.round(performance.now() - t0),
    embedder: { name: embedder.name, dimensions: embedder.dimensions },
    hnsw: graphs.mainDirty || !prev ? { m: settings.m, efConstruction: settings.efConstruction } : prev.manifest.hnsw,
    passages,
    problems,
    files: graphs.files,
    fileStats: graphs.fileStats,
    nextLabel: writer.nextLabel,
  };
}

/** Ready the build folder for the switch: the database rewritten when it is mostly free pages, finished and synced; the BUILDING marker goes. */
function seal(t: Target, fromScratch: boolean): void {
  const { db } = t;
  // Deleted rows leave free pages that SQLite reuses but never gives back, and every later build copies
  // them: a 20 MB article removed left a 2-article index at 43 MB. Past a share, the file is rewritten.
  if (freeShare(db) > VACUUM_AT) db.exec("VACUUM");
  finishDatabase(db);
  if (fromScratch) syncFile(t.dbFile);
  rmSync(path.join(t.dir, "BUILDING"));
}

/** What a build did, for the one who asked for it. */
function summaryOf(c: CorpusChanges, removed: string[], built: Pick<ReindexSummary, "passages" | "embedded" | "builtAt">, t0: number): ReindexSummary {
  return {
    added: c.added,
    changed: c.changed,
    removed,
    unchanged: c.unchanged,
    articles: c.ids.size,
    passages: built.passages,
    embedded: built.embedded,
    problems: c.problems,
    ms: Math.round(performance.now() - t0),
    builtAt: built.builtAt,
  };
}

/**
 * Has any corpus file changed since this build? Stat only, so it is cheap at start-up. `scan`: the
 * folder's `scanCorpus`, when already made.
 */
export function corpusChanged(
  corpusDir: string,
  index: Pick<IndexData, "manifest" | "corpusFiles">,
  scan?: { files: CorpusFileStat[]; problems: CorpusProblem[] },
): boolean {
  const { files, problems } = scan ?? scanCorpus(corpusDir);
  const known = index.corpusFiles();
  const problemFiles = new Set(index.manifest.problems.map((p) => p.file));
  if (problems.some((p) => !problemFiles.has(p.file))) return true;
  const listed = new Set(files.map((f) => f.file));
  for (const file of known.keys()) if (!listed.has(file) && !problemFiles.has(file)) return true;
  for (const f of files) {
    if (problemFiles.has(f.file)) continue;
    const entry = known.get(f.file);
    if (!fileUnchanged(f, entry)) return true;
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
