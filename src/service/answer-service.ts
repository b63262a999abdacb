import type { Answer, AskOptions } from "../answer/answer.js";
import type { Answerer } from "../answer/answerer.js";
import type { AnswerabilityModel } from "../answer/answerability.js";
import { createExtractiveAnswerer } from "../answer/extractive.js";
import { findVerbatim, nearMatch, type QuoteCheck } from "../answer/match.js";
import { quotePlace } from "../answer/citation.js";
import type { Config } from "../config.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { BuildProgress, ReindexSummary } from "../index/build.js";
import type { IndexData, IndexInfo } from "../index/store.js";
import type { Logger } from "../log.js";
import { QueryExpander } from "../retrieval/expand.js";
import { retrieve, type RetrievalVariant, type ScoredPassage, type SearchOptions } from "../retrieval/hybrid.js";
import { buildQuery, type Query } from "../retrieval/query.js";
import { cleanQuestion, prepareQuestion } from "../answer/question.js";
import { gloveBridge } from "../llm/support.js";
import { checkLlmConfig } from "../llm/chat-model.js";
import type { createLlmAnswerer } from "../llm/answerer.js";
import { openLifecycle } from "./_lifecycle.js";
import { ms, round } from "./_timing.js";
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
  // The LLM answerer (and LangChain's message classes) only when it is configured: start-up time.
  const llm = config.LLM_PROVIDER !== "none" && !deps.answerer ? await import("../llm/answerer.js") : undefined;
  const serve = (index: IndexData, emb: PassageEmbedder) => servingOf(config, deps, llm, index, emb);
  const lifecycle = await openLifecycle(config, { log, onProgress: deps.onProgress, warmBuilder: deps.warmBuilder, serve });

  const using = <T>(fn: (s: Serving) => Promise<T> | T): Promise<T> => lifecycle.using(fn);
  const reading = <T>(fn: (s: Serving) => T): T => lifecycle.reading(fn);

  const variantOf = (opts: SearchOptions): RetrievalVariant => opts.variant ?? (config.QUERY_EXPANSION ? "hybrid+expansion" : "hybrid");

  /** The question read once, with this build's expander and embedder: everything below takes this `Query`. */
  function readQuestion(s: Serving, question: string, opts: SearchOptions, asked?: string): Promise<Query> {
    const expand = config.QUERY_EXPANSION || variantOf(opts) === "hybrid+expansion";
    return buildQuery(question, { expander: expand ? s.expander() : undefined, embedder: s.embedder, asked });
  }

  const search = (query: Query, opts: SearchOptions, s: Serving): ScoredPassage[] => searchIn(config, s, query, opts, variantOf(opts));

  return {
    lastBuild: () => lifecycle.lastBuild,

    get reindexing() {
      return lifecycle.rebuilding;
    },

    async ask(raw: string, opts: AskOptions = {}): Promise<Answer> {
      const t0 = performance.now();
      const { question, problem } = prepareQuestion(raw, config.MAX_QUESTION_CHARS);
      if (problem) {
        return { question, answered: false, answer: problem, citations: [], related: [], confidence: 0, timings: { totalMs: ms(t0) } };
      }
      return using(async (s) => {
        const query = await readQuestion(s, question, opts, opts.asked ? cleanQuestion(opts.asked) : undefined);
        const passages = search(query, opts, s);
        const t1 = performance.now();
        const answer = await s.answerer.answer({
          query,
          passages,
          article: (id) => s.index.article(id),
          ...(opts.history?.length ? { history: opts.history } : {}),
          ...(opts.prefer ? { prefer: opts.prefer } : {}),
        });
        const t2 = performance.now();
        return { ...answer, timings: { ...(answer as Partial<Answer>).timings, totalMs: ms(t0), retrieveMs: round(t1 - t0), composeMs: round(t2 - t1) } };
      });
    },

    search: (question, opts = {}) => using(async (s) => search(await readQuestion(s, cleanQuestion(question), opts), opts, s)),

    embedQuery: (text) => lifecycle.serving.embedder.embeddings.embedQuery(text),

    ...reads(reading),

    verifyQuote: (text: string): QuoteCheck => reading(({ index }) => verifyQuote(index, text)),

    reindex: (onProgress, opts) => lifecycle.reindex(onProgress, opts?.full === true),

    close: () => lifecycle.close(),
  };
}

/** What one build serves: its index and embedder, the query expander (made on first use) and the answerer, the LLM one around the extractive one when configured. */
function servingOf(
  config: Config,
  deps: AnswerServiceDeps,
  llm: { createLlmAnswerer: typeof createLlmAnswerer } | undefined,
  index: IndexData,
  emb: PassageEmbedder,
): Serving {
  const { log } = deps;
  let expander: QueryExpander | undefined | null = null;
  const getExpander = () => {
    if (expander === null) expander = emb.glove ? new QueryExpander(emb.glove, index.lexical) : undefined;
    return expander;
  };
  const extractive = createExtractiveAnswerer(
    { index, embedder: emb },
    {
      gate: config.ANSWER_GATE,
      threshold: config.ANSWER_THRESHOLD,
      maxCitations: config.ANSWER_MAX_CITATIONS,
      doubtBelow: config.ANSWER_DOUBT_BELOW,
      ...(deps.model ? { model: deps.model } : {}),
    },
  );
  const wrap =
    deps.answerer ??
    (llm ? (inner: Answerer) => llm.createLlmAnswerer(config, { extractive: inner, log, index, bridge: emb.glove && gloveBridge(emb.glove) }) : undefined);
  return { index, embedder: emb, expander: getExpander, answerer: wrap ? wrap(extractive) : extractive, users: 0, retired: false, damaged: false };
}

/** The passages retrieved for a question from one build. */
function searchIn(config: Config, s: Serving, query: Query, opts: SearchOptions, variant: RetrievalVariant): ScoredPassage[] {
  return retrieve(s.index, query, {
    k: opts.k ?? config.RETRIEVAL_K,
    perArticle: config.RETRIEVAL_PER_ARTICLE,
    variant,
    filters: opts.filters,
    maxDfShare: config.LEXICAL_MAX_DF_SHARE,
    prefer: opts.prefer,
  });
}

/** The quick, synchronous reads of the current build: `/cite`, autocomplete, info. */
function reads(reading: <T>(fn: (s: Serving) => T) => T): Pick<AnswerService, "getPassage" | "suggestPassageIds" | "info"> {
  return {
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
    best = {
      kind: "near",
      articleId: a.id,
      passageId: p.id,
      text: p.text.slice(near.start, near.end),
      similarity: round(near.similarity),
      missing: near.missing,
      extra: near.extra,
      title: a.title,
      published: a.published,
    };
  }
  return best ?? { kind: "absent" };
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
