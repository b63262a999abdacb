import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";
import type { Answer, AskOptions } from "../answer/answer.js";
import type { Answerer } from "../answer/answerer.js";
import type { AnswerabilityModel } from "../answer/answerability.js";
import { createExtractiveAnswerer } from "../answer/extractive.js";
import { findVerbatim, nearMatch, type QuoteCheck } from "../answer/match.js";
import { quotePlace } from "../answer/citation.js";
import type { Config } from "../config.js";
import { createEmbedder, type PassageEmbedder } from "../embeddings/provider.js";
import { AppError } from "../errors.js";
import { corpusChanged, writeBuild, type BuildProgress, type ReindexSummary } from "../index/build.js";
import { PreparePool } from "../index/prepare-pool.js";
import { BuildProcess } from "../index/build-process.js";
import { buildSettings } from "../index/settings.js";
import { currentBuildDir, indexRoot, loadIndex, pruneBuilds, type IndexData, type LoadFailure, type IndexInfo } from "../index/store.js";
import type { Logger } from "../log.js";
import { QueryExpander } from "../retrieval/expand.js";
import { retrieve, type ScoredPassage, type SearchOptions } from "../retrieval/hybrid.js";
import { prepareQuestion } from "../answer/question.js";
import { gloveBridge } from "../llm/support.js";
import { checkLlmConfig } from "../llm/chat-model.js";
import { scanCorpus } from "../corpus/scan.js";
import { english } from "../text/nlp.js";
import { embedderStamp, watchBuildPointer } from "./build-watch.js";
import type { Passage } from "../passages/passage.js";
import type { Article } from "../corpus/article.js";

export interface AnswerServiceDeps {
  log: Logger;
  /** Progress of a build that opening has to run (no index yet, or a stale one). */
  onProgress?: ((p: BuildProgress) => void) | undefined;
  /** Start the build process right away, so that the first `reindex` does not wait for it to load. Default false (the CLI). */
  warmBuilder?: boolean | undefined;
  /** Wraps the extractive answerer. Default: the LLM answerer when LLM_PROVIDER is set, else extractive only. */
  answerer?: ((extractive: Answerer) => Answerer) | undefined;
  /** The answerability model of the `fitted` and `combined` gates. Default the committed one (evaluation passes models fitted without the questions' group). */
  model?: AnswerabilityModel | undefined;
}

/** Everything answering needs from one build. Swapped whole when a rebuild is switched in. */
interface Serving {
  index: IndexData;
  embedder: PassageEmbedder;
  expander: () => QueryExpander | undefined;
  answerer: Answerer;
  /** Questions being answered from this build; it is closed when a newer one is in and this reaches 0. */
  users: number;
  retired: boolean;
  /** SQLite reported damage while answering from it: never served again. */
  damaged: boolean;
}

/** Least similarity for `/verify` to call a span a near match. */
const NEAR_MATCH = 0.6;
/** How often a serving process looks for a build another process switched in. */
const POINTER_CHECK_MS = 1000;

/**
 * Open the index under DATA_DIR, building it first when it is missing, stale (corpus changed),
 * built by another embedder, or damaged. Builds run in a child process. The service answers from
 * one consistent build at a time and picks up builds switched in by other processes (another bot
 * process, `npm run index`).
 */
export async function openAnswerService(config: Config, deps: AnswerServiceDeps): Promise<AnswerService> {
  const { log } = deps;
  // A missing LLM_MODEL should stop start-up before a long index build, not after it.
  if (config.LLM_PROVIDER !== "none" && !deps.answerer) checkLlmConfig(config);
  const settings = buildSettings(config);
  const openOpts = { hnsw: settings.hnsw, cacheMb: settings.cacheMb, postingsCacheMb: settings.postingsCacheMb };
  const newEmbedder = () => createEmbedder(config, { onConvert: () => log.info("converting the word vectors to a binary cache (once, about 5 s)") });
  let stamp = embedderStamp(config);
  let embedder = await newEmbedder();
  // The LLM answerer (and LangChain's message classes) only when it is configured: start-up time.
  const llm = config.LLM_PROVIDER !== "none" && !deps.answerer ? await import("../llm/answerer.js") : undefined;
  const loading = loadIndex(config.dataDir, embedder, openOpts);
  // While hnswlib reads the graph files in its thread: stat the corpus, and load the sentence model
  // the first answer needs.
  const scan = scanQuietly(config.corpusDir);
  english();
  let loaded: IndexData | LoadFailure = await loading;
  let lastBuild: ReindexSummary | undefined;
  /** Aborted by `close()`: a running build is killed (the previous build is still the current one). */
  const stopBuilds = new AbortController();
  const builder = new BuildProcess(config);

  /**
   * Bring the index up to date, then open what was switched in. Rebuilds while serving run in the
   * child process, so no question waits on them. The build on opening runs `here`: nothing is served
   * yet, and a second process would load a second embedder (on a first run, the word-vector
   * conversion twice).
   */
  async function build(previous: IndexData | undefined, onProgress: ((p: BuildProgress) => void) | undefined, where: "child" | "here", full = false): Promise<IndexData> {
    // Build on the current build, which another process may have switched in since this one was loaded.
    const previousDir = previous && !full ? ((await currentBuildDir(config.dataDir)) ?? previous.dir) : undefined;
    let vocabularyGrew = false;
    let summary: ReindexSummary;
    try {
      if (where === "here") summary = await buildHere(previousDir, onProgress);
      else ({ summary, vocabularyGrew } = await builder.run({ previousDir }, onProgress, stopBuilds.signal));
    } catch (err) {
      // A build process that crashed or was killed could not remove its folder: it goes now, not at the
      // next successful build (on a full disk there may be none).
      pruneBuilds(config.dataDir, await currentBuildDir(config.dataDir));
      throw err;
    }
    logSummary(log, summary);
    lastBuild = summary;
    // The child's build may have grown GloVe's vocabulary on disk; a build here returns the grown embedder.
    if (vocabularyGrew) embedder = await newEmbedder();
    stamp = embedderStamp(config);
    const index = await loadIndex(config.dataDir, embedder, { ...openOpts, reuse: previous });
    if ("reason" in index) throw new AppError("INDEX", `index: the new build does not open: ${index.detail}`);
    return index;
  }

  async function buildHere(previousDir: string | undefined, onProgress: ((p: BuildProgress) => void) | undefined): Promise<ReindexSummary> {
    // Worker threads start only when the build has many articles to prepare (see writeBuild).
    const pool = settings.workers > 0 ? new PreparePool(config, settings.workers) : undefined;
    try {
      const built = await writeBuild({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, previous: previousDir ? { dir: previousDir } : undefined, hnsw: settings.hnsw, cacheMb: settings.cacheMb, onProgress, ...(pool ? { prepare: pool.prepare } : {}) });
      embedder = built.embedder;
      return built.summary;
    } finally {
      await pool?.close();
    }
  }

  const readOnly = !writable(indexRoot(config.dataDir));
  if ("reason" in loaded && readOnly && loaded.reason !== "missing") {
    throw new AppError("INDEX", `index: ${loaded.detail}, and ${indexRoot(config.dataDir)} is read-only, so it cannot be rebuilt`);
  } else if (readOnly && !("reason" in loaded)) {
    log.warn({ dir: loaded.dir }, `index: ${indexRoot(config.dataDir)} is read-only: serving the build there as it is, without checking the corpus for changes; rebuilds are off until it is writable`);
  } else if ("reason" in loaded) {
    if (loaded.reason !== "missing") log.warn({ reason: loaded.reason }, `index: ${loaded.detail}; rebuilding`);
    else log.info("index: none yet; building it from %s", config.corpusDir);
    loaded = await build(undefined, deps.onProgress, "here");
  } else if (corpusChanged(config.corpusDir, loaded, scan)) {
    log.info("index: corpus changed since the last build; updating");
    const old = loaded;
    loaded = await build(old, deps.onProgress, "here");
    old.close();
  } else {
    // Leftovers of a writer that crashed (kill -9 mid-build) go; builds other processes are writing stay.
    pruneBuilds(config.dataDir, loaded.dir);
  }
  let serving = serve(loaded, embedder);
  /** The build served before the current one, kept open while it is good: what serves if the current one turns out damaged. */
  let fallback: Serving | undefined;
  /** Builds found damaged while serving: the pointer may still name one until the rebuild is in; it is not loaded again. */
  const damagedBuilds = new Set<string>();
  if (deps.warmBuilder) builder.warm();
  // Idle or not, a build another process switched in is served within a second (not at the next question).
  const stopWatching = watchBuildPointer(indexRoot(config.dataDir), () => checkPointer(true));

  function serve(index: IndexData, emb: PassageEmbedder): Serving {    let expander: QueryExpander | undefined | null = null;
    const getExpander = () => {
      if (expander === null) expander = emb.glove ? new QueryExpander(emb.glove, index.lexical) : undefined;
      return expander;
    };
    const extractive = createExtractiveAnswerer(
      {
        index,
        embedder: emb,
        get expander() {
          return config.QUERY_EXPANSION ? getExpander() : undefined;
        },
      },
      { gate: config.ANSWER_GATE, threshold: config.ANSWER_THRESHOLD, maxCitations: config.ANSWER_MAX_CITATIONS, doubtBelow: config.ANSWER_DOUBT_BELOW, ...(deps.model ? { model: deps.model } : {}) },
    );
    const wrap = deps.answerer ?? (llm ? (inner: Answerer) => llm.createLlmAnswerer(config, { extractive: inner, log, bridge: emb.glove && gloveBridge(emb.glove) }) : undefined);
    return { index, embedder: emb, expander: getExpander, answerer: wrap ? wrap(extractive) : extractive, users: 0, retired: false, damaged: false };
  }

  let reindexing: Promise<ReindexSummary> | undefined;
  let closed = false;

  /** Close a build once the questions it is answering are done. */
  function retire(s: Serving | undefined): void {
    if (!s) return;
    s.retired = true;
    if (s.users === 0) s.index.close();
  }

  /** Serve a newer build; the old one stays open as the fallback while it is good (the one before it closes). */
  function swapTo(index: IndexData): void {
    const old = serving;
    serving = serve(index, embedder);
    retire(fallback);
    fallback = undefined;
    if (old.damaged || old.index.dir === index.dir) retire(old);
    else fallback = old;
  }

  /**
   * SQLite found a damaged page of a build while answering ("database disk image is malformed"): the
   * build is never served again, the previous good build serves if this process still has it, and a
   * full rebuild from the corpus starts (an incremental one would copy the damage).
   */
  function damaged(s: Serving, err: Error): void {
    if (s.damaged) return;
    s.damaged = true;
    damagedBuilds.add(path.basename(s.index.dir));
    log.error({ dir: s.index.dir, err: err.message }, "index: the build being served is damaged; rebuilding it from the corpus");
    if (s === serving && fallback && !fallback.damaged) {
      serving = fallback;
      fallback = undefined;
      retire(s);
      log.warn({ dir: serving.index.dir }, "index: serving the previous build until the rebuild is in");
    }
    const repair = () => {
      if (closed || reindexing) return;
      startReindex(undefined, true).catch((e: unknown) => log.error({ err: (e as Error).message }, "index: the repairing rebuild failed"));
    };
    if (reindexing) void reindexing.catch(() => undefined).then(repair);
    else repair();
  }

  /** Run `fn` against the current build, keeping that build open until it is done. */
  async function using<T>(fn: (s: Serving) => Promise<T> | T): Promise<T> {
    checkPointer();
    const s = serving;
    s.users += 1;
    try {
      return await fn(s);
    } catch (err) {
      if (!isDamage(err)) throw err;
      damaged(s, err as Error);
      // The previous build took over: answer from it.
      if (serving !== s && !serving.damaged) return await using(fn);
      throw damageError(err as Error);
    } finally {
      s.users -= 1;
      if (s.retired && s.users === 0) s.index.close();
    }
  }

  /** `using` for the quick, synchronous reads (`/cite`, `/verify`, autocomplete, info). */
  function reading<T>(fn: (s: Serving) => T): T {
    const s = serving;
    try {
      return fn(s);
    } catch (err) {
      if (!isDamage(err)) throw err;
      damaged(s, err as Error);
      if (serving !== s && !serving.damaged) return reading(fn);
      throw damageError(err as Error);
    }
  }

  // Another process (a second bot, `npm run index`) may switch in a build: look at the pointer now and then.
  let lastCheck = performance.now();
  let refreshing = false;
  /** A switched-in build that did not open: said once, not at every look. */
  let unopened = "";
  function checkPointer(immediately = false): void {
    const now = performance.now();
    if (closed || refreshing || reindexing || (!immediately && now - lastCheck < POINTER_CHECK_MS)) return;
    lastCheck = now;
    let name: string;
    try {
      name = readFileSync(path.join(indexRoot(config.dataDir), "CURRENT"), "utf8").trim();
    } catch {
      return;
    }
    if (!name || name === path.basename(serving.index.dir) || name === unopened || damagedBuilds.has(name)) return;
    refreshing = true;
    void (async () => {
      try {
        const onDisk = embedderStamp(config);
        if (onDisk !== stamp) [stamp, embedder] = [onDisk, await newEmbedder()];
        const index = await loadIndex(config.dataDir, embedder, { ...openOpts, reuse: serving.index });
        if ("reason" in index) {
          unopened = name;
          log.warn({ reason: index.reason }, `index: a new build was switched in but does not open: ${index.detail}`);
        } else if (closed) index.close();
        else {
          swapTo(index);
          log.info({ dir: index.dir, ms: round(performance.now() - now) }, "index: switched to a build made by another process");
        }
      } catch (err) {
        unopened = name;
        log.warn({ err }, "index: a new build was switched in but does not open");
      } finally {
        refreshing = false;
      }
    })();
  }

  function startReindex(onProgress: ((p: BuildProgress) => void) | undefined, full: boolean): Promise<ReindexSummary> {
    if (reindexing) return Promise.reject(new AppError("INDEX_BUSY", "index: a rebuild is already running"));
    if (closed) return Promise.reject(new AppError("INDEX", "index: the service is closed"));
    if (!writable(indexRoot(config.dataDir))) return Promise.reject(new AppError("INDEX", `index: ${indexRoot(config.dataDir)} is read-only; the current build keeps serving`));
    const run = (async () => {
      // A damaged build is never built upon: its pages would be copied into the next one.
      const index = await build(serving.index, onProgress, "child", full || serving.damaged);
      if (index.dir === serving.index.dir) index.close();
      else swapTo(index);
      return lastBuild!;
    })();
    reindexing = run;
    return run.finally(() => {
      reindexing = undefined;
    });
  }

  async function search(question: string, opts: SearchOptions = {}, s: Serving = serving): Promise<ScoredPassage[]> {
    const variant = opts.variant ?? (config.QUERY_EXPANSION ? "hybrid+expansion" : "hybrid");
    return retrieve(s.index, s.embedder, variant === "hybrid+expansion" ? s.expander() : undefined, question, {
      k: opts.k ?? config.RETRIEVAL_K,
      perArticle: config.RETRIEVAL_PER_ARTICLE,
      variant,
      filters: opts.filters,
      maxDfShare: config.LEXICAL_MAX_DF_SHARE,
      prefer: opts.prefer,
    });
  }

  return {
    lastBuild: () => lastBuild,

    get reindexing() {
      return reindexing !== undefined;
    },

    async ask(raw: string, opts: AskOptions = {}): Promise<Answer> {
      const t0 = performance.now();
      const { question, problem } = prepareQuestion(raw, config.MAX_QUESTION_CHARS);
      if (problem) {
        return { question, answered: false, answer: problem, citations: [], related: [], confidence: 0, timings: { totalMs: ms(t0) } };
      }
      return using(async (s) => {
        const passages = await search(question, opts, s);
        const t1 = performance.now();
        const answer = await s.answerer.answer({ question, passages, article: (id) => s.index.article(id), ...(opts.history?.length ? { history: opts.history } : {}), ...(opts.asked ? { asked: opts.asked } : {}), ...(opts.prefer ? { prefer: opts.prefer } : {}) });
        const t2 = performance.now();
        return { ...answer, timings: { ...(answer as Partial<Answer>).timings, totalMs: ms(t0), retrieveMs: round(t1 - t0), composeMs: round(t2 - t1) } };
      });
    },

    search: (question, opts) => using((s) => search(question, opts, s)),

    embedQuery: (text) => serving.embedder.embeddings.embedQuery(text),

    getPassage: (id) =>
      reading(({ index }) => {
        const passageId = id.trim().replace(/\.s\d+$/, "");
        const passage = index.passage(passageId);
        if (!passage) return undefined;
        return { passage, article: index.article(passage.articleId)! };
      }),

    suggestPassageIds: (prefix, limit) =>
      reading(({ index }) => {
        const p = prefix.trim().toLowerCase();
        const starts = index.passageIdsMatching(p, limit);
        if (starts.length >= limit || !p) return starts;
        const contains = index.passageIdsMatching(p, limit * 2, { anywhere: true }).filter((id) => !starts.includes(id));
        return [...starts, ...contains].slice(0, limit);
      }),

    info: (): IndexInfo =>
      reading(({ index }) => {
        const { manifest } = index;
        return {
          builtAt: manifest.builtAt,
          embedder: manifest.embedder,
          passages: manifest.passages,
          problems: manifest.problems,
          articles: index.articles().map((meta) => ({ ...meta, passages: manifest.articles[meta.id]?.passages ?? 0 })),
        };
      }),

    verifyQuote: (text: string): QuoteCheck => reading(({ index }) => verifyQuote(index, text)),

    reindex: (onProgress, opts) => startReindex(onProgress, opts?.full === true),

    async close() {
      closed = true;
      stopWatching();
      stopBuilds.abort();
      await reindexing?.catch(() => undefined);
      builder.close();
      retire(fallback);
      retire(serving);
    },
  };
}

/** Where a quote stands in the corpus: verbatim, nearly, or nowhere. */
function verifyQuote(index: IndexData, text: string): QuoteCheck {
  const quote = text.trim();
  if (!quote) return { kind: "absent" };
  const candidates = index.lexical.search(quote, { limit: 30 }).flatMap((h) => index.passage(h.id) ?? []);
  const matches: Extract<QuoteCheck, { kind: "verbatim" }>["matches"] = [];
  for (const p of candidates) {
    const hit = findVerbatim(quote, p.text);
    if (!hit) continue;
    const a = index.articleMeta(p.articleId)!;
    matches.push(quotePlace(a, p.id, { start: p.start + hit.start, end: p.start + hit.end }));
  }
  if (matches.length > 0) return { kind: "verbatim", matches };
  let best: (QuoteCheck & { kind: "near" }) | undefined;
  for (const p of candidates) {
    const near = nearMatch(quote, p.text);
    if (!near || near.similarity < NEAR_MATCH || (best && best.similarity >= near.similarity)) continue;
    const a = index.articleMeta(p.articleId)!;
    best = { kind: "near", articleId: a.id, passageId: p.id, text: p.text.slice(near.start, near.end), similarity: round(near.similarity), missing: near.missing, extra: near.extra, title: a.title, published: a.published };
  }
  return best ?? { kind: "absent" };
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
    { added: s.added.length, changed: s.changed.length, removed: s.removed.length, unchanged: s.unchanged, passages: s.passages, embedded: s.embedded, ms: s.ms },
    "index: built",
  );
  for (const p of s.problems) log.warn({ file: p.file }, `corpus: ${p.file}: ${p.problem}`);
}

function ms(t0: number): number {
  return round(performance.now() - t0);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * The product's service, shared by the CLI, the bot, the evaluation and the benchmarks
 * (`openAnswerService` in `src/service/answer-service.ts`). It owns the index lifecycle: open, swap,
 * rebuild, close.
 */
export interface AnswerService {
  ask(question: string, opts?: AskOptions): Promise<Answer>;
  search(question: string, opts?: SearchOptions): Promise<ScoredPassage[]>;
  /** A passage and its article, by passage id (`<articleId>#p<n>`) or sentence id. */
  getPassage(id: string): { passage: Passage; article: Article } | undefined;
  /** Passage ids starting with (or containing) `prefix`, for autocomplete. */
  suggestPassageIds(prefix: string, limit: number): string[];
  info(): IndexInfo;
  verifyQuote(text: string): QuoteCheck;
  /** A text's vector from the index's own embedder (the one its passages were embedded with). */
  embedQuery(text: string): Promise<number[]>;
  /**
   * Rebuild from the corpus folder, incrementally, into a new directory that is switched in atomically.
   * Questions keep being answered from the old index until then. Throws AppError("INDEX_BUSY") when a
   * rebuild is already running. `full`: rebuild from scratch, every article embedded again, nothing
   * taken from the current build (what repairs a damaged one). Default false.
   */
  reindex(onProgress?: (p: BuildProgress) => void, opts?: { full?: boolean }): Promise<ReindexSummary>;
  /** The last build this core ran (on open or by `reindex`), if any. */
  lastBuild(): ReindexSummary | undefined;
  readonly reindexing: boolean;
  /** Stop a running rebuild (the current build stays current), stop watching for new builds, close the index. */
  close(): Promise<void>;
}
