import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { scanCorpus } from "../corpus/scan.js";
import { createEmbedder, type PassageEmbedder } from "../embeddings/provider.js";
import { AppError } from "../errors.js";
import { corpusChanged, writeBuild, type BuildProgress, type ReindexSummary } from "../index/build.js";
import { BuildProcess, rebuildBusy } from "../index/build-process.js";
import { PreparePool } from "../index/prepare-pool.js";
import { buildSettings } from "../index/settings.js";
import { currentBuildDir, currentBuildName, indexRoot, loadIndex, pruneBuilds, type IndexData, type LoadFailure } from "../index/store.js";
import type { Logger } from "../log.js";
import { english } from "../text/nlp.js";
import { round } from "./_timing.js";
import { embedderStamp, watchBuildPointer } from "./build-watch.js";

/** What the lifecycle needs of a build it serves; the service adds what answering needs. */
export interface Served {
  index: IndexData;
  embedder: PassageEmbedder;
  /** Questions being answered from this build; it is closed when a newer one is in and this reaches 0. */
  users: number;
  retired: boolean;
  /** SQLite reported damage while answering from it: never served again. */
  damaged: boolean;
}

export interface LifecycleDeps<S extends Served> {
  log: Logger;
  /** Progress of a build that opening has to run (no index yet, or a stale one). */
  onProgress?: ((p: BuildProgress) => void) | undefined;
  /** Start the build process right away, so that the first `reindex` does not wait for it to load. Default false. */
  warmBuilder?: boolean | undefined;
  /** What answers from a build: made for each build served. */
  serve: (index: IndexData, embedder: PassageEmbedder) => S;
}

/** How often a serving process looks for a build another process switched in. */
const POINTER_CHECK_MS = 1000;

/**
 * Open the index under DATA_DIR, building it first when it is missing, stale (corpus changed),
 * built by another embedder, or damaged. Builds run in a child process. The lifecycle serves one
 * consistent build at a time and picks up builds switched in by other processes (another bot
 * process, `npm run index`).
 */
export async function openLifecycle<S extends Served>(config: Config, deps: LifecycleDeps<S>): Promise<IndexLifecycle<S>> {
  const lifecycle = new IndexLifecycle(config, deps);
  await lifecycle.open();
  return lifecycle;
}

/** The index lifecycle of one service: open, serve, swap, fall back from damage, rebuild, close. */
export class IndexLifecycle<S extends Served> {
  /** The build answering questions now. */
  serving!: S;
  /** The last build this service ran (on open or by `reindex`), if any. */
  lastBuild: ReindexSummary | undefined;
  private readonly settings: ReturnType<typeof buildSettings>;
  private readonly openOpts: { hnsw: ReturnType<typeof buildSettings>["hnsw"]; cacheMb: number; postingsCacheMb: number };
  private readonly log: Logger;
  private stamp: string;
  private embedder!: PassageEmbedder;
  /** Aborted by `close()`: a running build is killed (the previous build is still the current one). */
  private readonly stopBuilds = new AbortController();
  private readonly builder: BuildProcess;
  /** The build served before the current one, kept open while it is good: what serves if the current one turns out damaged. */
  private fallback: S | undefined;
  /** Builds found damaged while serving: the pointer may still name one until the rebuild is in; it is not loaded again. */
  private readonly damagedBuilds = new Set<string>();
  private reindexing: Promise<ReindexSummary> | undefined;
  private closed = false;
  private stopWatching: () => void = () => {};
  // Another process (a second bot, `npm run index`) may switch in a build: look at the pointer now and then.
  private lastCheck = 0;
  private refreshing = false;
  /** A switched-in build that did not open: said once, not at every look. */
  private unopened = "";

  constructor(
    private readonly config: Config,
    private readonly deps: LifecycleDeps<S>,
  ) {
    this.log = deps.log;
    this.settings = buildSettings(config);
    this.openOpts = { hnsw: this.settings.hnsw, cacheMb: this.settings.cacheMb, postingsCacheMb: this.settings.postingsCacheMb };
    this.stamp = embedderStamp(config);
    this.builder = new BuildProcess(config);
  }

  get rebuilding(): boolean {
    return this.reindexing !== undefined;
  }

  /** Load the current build, bring it up to date, serve it, and watch for builds other processes switch in. */
  async open(): Promise<void> {
    this.embedder = await this.newEmbedder();
    const loading = loadIndex(this.config.dataDir, this.embedder, this.openOpts);
    // While hnswlib reads the graph files in its thread: stat the corpus, and load the sentence model
    // the first answer needs.
    const scan = scanQuietly(this.config.corpusDir);
    english();
    const loaded = await this.upToDate(await loading, scan);
    this.serving = this.deps.serve(loaded, this.embedder);
    if (this.deps.warmBuilder) this.builder.warm();
    this.lastCheck = performance.now();
    // Idle or not, a build another process switched in is served within a second (not at the next question).
    this.stopWatching = watchBuildPointer(indexRoot(this.config.dataDir), () => this.checkPointer(true));
  }

  /** The build to serve on opening: the loaded one, or one built now when it is missing, unusable or stale. */
  private async upToDate(loaded: IndexData | LoadFailure, scan: ReturnType<typeof scanCorpus> | undefined): Promise<IndexData> {
    const { config, log } = this;
    const readOnly = !writable(indexRoot(config.dataDir));
    if ("reason" in loaded && readOnly && loaded.reason !== "missing") {
      throw new AppError("INDEX", `index: ${loaded.detail}, and ${indexRoot(config.dataDir)} is read-only, so it cannot be rebuilt`);
    } else if (readOnly && !("reason" in loaded)) {
      log.warn(
        { dir: loaded.dir },
        `index: ${indexRoot(config.dataDir)} is read-only: serving the build there as it is, without checking the corpus for changes; rebuilds are off until it is writable`,
      );
    } else if ("reason" in loaded) {
      if (loaded.reason !== "missing") log.warn({ reason: loaded.reason }, `index: ${loaded.detail}; rebuilding`);
      else log.info("index: none yet; building it from %s", config.corpusDir);
      return this.build(undefined, this.deps.onProgress, "here");
    } else if (corpusChanged(config.corpusDir, loaded, scan)) {
      log.info("index: corpus changed since the last build; updating");
      const built = await this.build(loaded, this.deps.onProgress, "here");
      loaded.close();
      return built;
    } else {
      // Leftovers of a writer that crashed (kill -9 mid-build) go; builds other processes are writing stay.
      pruneBuilds(config.dataDir, loaded.dir);
    }
    return loaded;
  }

  private newEmbedder(): Promise<PassageEmbedder> {
    return createEmbedder(this.config, { onConvert: () => this.log.info("converting the word vectors to a binary cache (once, about 5 s)") });
  }

  /**
   * Bring the index up to date, then open what was switched in. Rebuilds while serving run in the
   * child process, so no question waits on them. The build on opening runs `here`: nothing is served
   * yet, and a second process would load a second embedder (on a first run, the word-vector
   * conversion twice).
   */
  private async build(
    previous: IndexData | undefined,
    onProgress: ((p: BuildProgress) => void) | undefined,
    where: "child" | "here",
    full = false,
  ): Promise<IndexData> {
    const { config } = this;
    // Build on the current build, which another process may have switched in since this one was loaded.
    const previousDir = previous && !full ? ((await currentBuildDir(config.dataDir)) ?? previous.dir) : undefined;
    let vocabularyGrew = false;
    let summary: ReindexSummary;
    try {
      if (where === "here") summary = await this.buildHere(previousDir, onProgress);
      else ({ summary, vocabularyGrew } = await this.builder.run({ previousDir }, onProgress, this.stopBuilds.signal));
    } catch (err) {
      // A build process that crashed or was killed could not remove its folder: it goes now, not at the
      // next successful build (on a full disk there may be none).
      pruneBuilds(config.dataDir, await currentBuildDir(config.dataDir));
      throw err;
    }
    logSummary(this.log, summary);
    this.lastBuild = summary;
    // The child's build may have grown GloVe's vocabulary on disk; a build here returns the grown embedder.
    if (vocabularyGrew) this.embedder = await this.newEmbedder();
    this.stamp = embedderStamp(config);
    const index = await loadIndex(config.dataDir, this.embedder, { ...this.openOpts, reuse: previous });
    if ("reason" in index) throw new AppError("INDEX", `index: the new build does not open: ${index.detail}`);
    return index;
  }

  private async buildHere(previousDir: string | undefined, onProgress: ((p: BuildProgress) => void) | undefined): Promise<ReindexSummary> {
    const { config, settings } = this;
    // Worker threads start only when the build has many articles to prepare (see writeBuild).
    const pool = settings.workers > 0 ? new PreparePool(config, settings.workers) : undefined;
    try {
      const built = await writeBuild({
        corpusDir: config.corpusDir,
        dataDir: config.dataDir,
        embedder: this.embedder,
        previous: previousDir ? { dir: previousDir } : undefined,
        hnsw: settings.hnsw,
        cacheMb: settings.cacheMb,
        onProgress,
        ...(pool ? { prepare: pool.prepare } : {}),
      });
      this.embedder = built.embedder;
      return built.summary;
    } finally {
      await pool?.close();
    }
  }

  /** Close a build once the questions it is answering are done. */
  private retire(s: S | undefined): void {
    if (!s) return;
    s.retired = true;
    if (s.users === 0) s.index.close();
  }

  /** Serve a newer build; the old one stays open as the fallback while it is good (the one before it closes). */
  private swapTo(index: IndexData): void {
    const old = this.serving;
    this.serving = this.deps.serve(index, this.embedder);
    this.retire(this.fallback);
    this.fallback = undefined;
    if (old.damaged || old.index.dir === index.dir) this.retire(old);
    else this.fallback = old;
  }

  /**
   * SQLite found a damaged page of a build while answering ("database disk image is malformed"): the
   * build is never served again, the previous good build serves if this process still has it, and a
   * full rebuild from the corpus starts (an incremental one would copy the damage).
   */
  private damaged(s: S, err: Error): void {
    if (s.damaged) return;
    s.damaged = true;
    this.damagedBuilds.add(path.basename(s.index.dir));
    this.log.error({ dir: s.index.dir, err: err.message }, "index: the build being served is damaged; rebuilding it from the corpus");
    if (s === this.serving && this.fallback && !this.fallback.damaged) {
      this.serving = this.fallback;
      this.fallback = undefined;
      this.retire(s);
      this.log.warn({ dir: this.serving.index.dir }, "index: serving the previous build until the rebuild is in");
    }
    const repair = () => {
      if (this.closed || this.reindexing) return;
      this.reindex(undefined, true).catch((e: unknown) => this.log.error({ err: (e as Error).message }, "index: the repairing rebuild failed"));
    };
    if (this.reindexing) void this.reindexing.catch(() => undefined).then(repair);
    else repair();
  }

  /** Run `fn` against the current build, keeping that build open until it is done. */
  async using<T>(fn: (s: S) => Promise<T> | T): Promise<T> {
    this.checkPointer();
    const s = this.serving;
    s.users += 1;
    try {
      return await fn(s);
    } catch (err) {
      if (!isDamage(err)) throw err;
      this.damaged(s, err as Error);
      // The previous build took over: answer from it.
      if (this.serving !== s && !this.serving.damaged) return await this.using(fn);
      throw damageError(err as Error);
    } finally {
      s.users -= 1;
      if (s.retired && s.users === 0) s.index.close();
    }
  }

  /** `using` for the quick, synchronous reads (`/cite`, `/verify`, autocomplete, info). */
  reading<T>(fn: (s: S) => T): T {
    const s = this.serving;
    try {
      return fn(s);
    } catch (err) {
      if (!isDamage(err)) throw err;
      this.damaged(s, err as Error);
      if (this.serving !== s && !this.serving.damaged) return this.reading(fn);
      throw damageError(err as Error);
    }
  }

  /** Serve the build CURRENT names, if another process switched one in (looked at once a second at most, unless `immediately`). */
  private checkPointer(immediately = false): void {
    const now = performance.now();
    if (this.closed || this.refreshing || this.reindexing || (!immediately && now - this.lastCheck < POINTER_CHECK_MS)) return;
    this.lastCheck = now;
    const name = currentBuildName(this.config.dataDir);
    if (!name || name === path.basename(this.serving.index.dir) || name === this.unopened || this.damagedBuilds.has(name)) return;
    this.refreshing = true;
    void this.switchToCurrent(name, now);
  }

  /** Open the build another process switched in and serve it; one that does not open is said once. */
  private async switchToCurrent(name: string, since: number): Promise<void> {
    const { config, log } = this;
    try {
      const onDisk = embedderStamp(config);
      if (onDisk !== this.stamp) [this.stamp, this.embedder] = [onDisk, await this.newEmbedder()];
      const index = await loadIndex(config.dataDir, this.embedder, { ...this.openOpts, reuse: this.serving.index });
      if ("reason" in index) {
        this.unopened = name;
        log.warn({ reason: index.reason }, `index: a new build was switched in but does not open: ${index.detail}`);
      } else if (this.closed) index.close();
      else {
        this.swapTo(index);
        log.info({ dir: index.dir, ms: round(performance.now() - since) }, "index: switched to a build made by another process");
      }
    } catch (err) {
      this.unopened = name;
      log.warn({ err }, "index: a new build was switched in but does not open");
    } finally {
      this.refreshing = false;
    }
  }

  /** Rebuild in the build process and serve the result; see `AnswerService.reindex`. */
  reindex(onProgress: ((p: BuildProgress) => void) | undefined, full: boolean): Promise<ReindexSummary> {
    if (this.reindexing) return Promise.reject(rebuildBusy());
    if (this.closed) return Promise.reject(new AppError("INDEX", "index: the service is closed"));
    if (!writable(indexRoot(this.config.dataDir)))
      return Promise.reject(new AppError("INDEX", `index: ${indexRoot(this.config.dataDir)} is read-only; the current build keeps serving`));
    const run = (async () => {
      // A damaged build is never built upon: its pages would be copied into the next one.
      const index = await this.build(this.serving.index, onProgress, "child", full || this.serving.damaged);
      if (index.dir === this.serving.index.dir) index.close();
      else this.swapTo(index);
      return this.lastBuild!;
    })();
    this.reindexing = run;
    return run.finally(() => {
      this.reindexing = undefined;
    });
  }

  /** Stop a running rebuild (the current build stays current), stop watching for new builds, close the index. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopWatching();
    this.stopBuilds.abort();
    await this.reindexing?.catch(() => undefined);
    this.builder.close();
    this.retire(this.fallback);
    this.retire(this.serving);
  }
}

/** SQLite's word for a file whose pages are not what it wrote. */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB" || (err instanceof Error && /malformed/i.test(err.message));
}

function damageError(err: Error): AppError {
  return new AppError("INDEX", `index: the index is damaged (${err.message}); it is being rebuilt from the corpus`, { cause: err });
}

/**
 * Whether builds can be written under the index folder (or, before the first build, where it would be
 * made). A read-only mount says so even to root, who passes every permission check.
 */
function writable(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      accessSync(d, constants.W_OK);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || path.dirname(d) === d) return false;
    }
  }
}

/** The corpus folder's files, or undefined when it cannot be listed (the build reports that). */
function scanQuietly(dir: string): ReturnType<typeof scanCorpus> | undefined {
  try {
    return scanCorpus(dir);
  } catch {
    return undefined;
  }
}

function logSummary(log: Logger, s: ReindexSummary): void {
  log.info(
    {
      added: s.added.length,
      changed: s.changed.length,
      removed: s.removed.length,
      unchanged: s.unchanged,
      passages: s.passages,
      embedded: s.embedded,
      ms: s.ms,
    },
    "index: built",
  );
  for (const p of s.problems) log.warn({ file: p.file }, `corpus: ${p.file}: ${p.problem}`);
}
