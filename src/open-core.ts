import type { Answer } from "./answer/answer.js";
import type { Answerer } from "./answer/answerer.js";
import { createExtractiveAnswerer } from "./answer/extractive.js";
import { findVerbatim, nearMatch } from "./answer/match.js";
import type { Config } from "./config.js";
import type { AskOptions, BuildProgress, Core, IndexInfo, QuoteCheck, ReindexSummary, ScoredPassage, SearchOptions } from "./core.js";
import { createEmbedder, type PassageEmbedder } from "./embeddings/provider.js";
import { AppError } from "./errors.js";
import { buildIndex, corpusChanged } from "./index/build.js";
import { loadIndex, type IndexData } from "./index/store.js";
import type { Logger } from "./log.js";
import { QueryExpander } from "./retrieval/expand.js";
import { retrieve } from "./retrieval/hybrid.js";
import { checkQuestion } from "./answer/question.js";
import { createLlmAnswerer } from "./llm/answerer.js";
import { checkLlmConfig } from "./llm/chat-model.js";
import { gloveBridge } from "./llm/support.js";

export interface OpenCoreDeps {
  log: Logger;
  /** Progress of a build that opening has to run (no index yet, or a stale one). */
  onProgress?: ((p: BuildProgress) => void) | undefined;
  /** Wraps the extractive answerer. Default: the LLM answerer when LLM_PROVIDER is set, else extractive only. */
  answerer?: ((extractive: Answerer) => Answerer) | undefined;
}

/** Everything answering needs from one build. Swapped whole when a rebuild is switched in. */
interface Serving {
  index: IndexData;
  embedder: PassageEmbedder;
  expander: () => QueryExpander | undefined;
  answerer: Answerer;
}

/** Least similarity for `/verify` to call a span a near match. */
const NEAR_MATCH = 0.6;

/**
 * Open the index under DATA_DIR, building it first when it is missing, stale (corpus changed),
 * built by another embedder, or damaged. The returned core answers from one consistent build at a time.
 */
export async function openCore(config: Config, deps: OpenCoreDeps): Promise<Core> {
  const { log } = deps;
  // A missing LLM_MODEL should stop start-up before a long index build, not after it.
  if (config.LLM_PROVIDER !== "none" && !deps.answerer) checkLlmConfig(config);
  const embedder = await createEmbedder(config, { onConvert: () => log.info("converting the word vectors to a binary cache (once, about 5 s)") });
  const loaded = await loadIndex(config.dataDir, embedder);
  let serving: Serving;
  let lastBuild: ReindexSummary | undefined;
  if ("reason" in loaded) {
    if (loaded.reason !== "missing") log.warn({ reason: loaded.reason }, `index: ${loaded.detail}; rebuilding`);
    else log.info("index: none yet; building it from %s", config.corpusDir);
    const built = await buildIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, onProgress: deps.onProgress });
    logSummary(log, built.summary);
    lastBuild = built.summary;
    serving = serve(built.index, built.embedder);
  } else if (await corpusChanged(config.corpusDir, loaded.manifest)) {
    log.info("index: corpus changed since the last build; updating");
    const built = await buildIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, previous: loaded, onProgress: deps.onProgress });
    logSummary(log, built.summary);
    lastBuild = built.summary;
    serving = serve(built.index, built.embedder);
  } else {
    serving = serve(loaded, embedder);
  }

  function serve(index: IndexData, emb: PassageEmbedder): Serving {
    let expander: QueryExpander | undefined | null = null;
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
      { threshold: config.ANSWER_THRESHOLD, maxCitations: config.ANSWER_MAX_CITATIONS },
    );
    const wrap = deps.answerer ?? (config.LLM_PROVIDER === "none" ? undefined : (inner: Answerer) => createLlmAnswerer(config, { extractive: inner, log, bridge: emb.glove && gloveBridge(emb.glove) }));
    return { index, embedder: emb, expander: getExpander, answerer: wrap ? wrap(extractive) : extractive };
  }

  let reindexing: Promise<ReindexSummary> | undefined;

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

    async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
      const t0 = performance.now();
      const problem = checkQuestion(question, config.MAX_QUESTION_CHARS);
      if (problem) {
        return { question, answered: false, answer: problem, citations: [], related: [], confidence: 0, timings: { totalMs: ms(t0) } };
      }
      const s = serving;
      const passages = await search(question, opts, s);
      const t1 = performance.now();
      const answer = await s.answerer.answer({ question, passages, article: (id) => s.index.articles.get(id), ...(opts.history?.length ? { history: opts.history } : {}), ...(opts.asked ? { asked: opts.asked } : {}) });
      const t2 = performance.now();
      return { ...answer, timings: { ...(answer as Partial<Answer>).timings, totalMs: ms(t0), retrieveMs: round(t1 - t0), composeMs: round(t2 - t1) } };
    },

    search: (question, opts) => search(question, opts),

    embedQuery: (text) => serving.embedder.embeddings.embedQuery(text),

    getPassage(id) {
      const passageId = id.trim().replace(/\.s\d+$/, "");
      const passage = serving.index.passages.get(passageId);
      if (!passage) return undefined;
      return { passage, article: serving.index.articles.get(passage.articleId)! };
    },

    suggestPassageIds(prefix, limit) {
      const p = prefix.trim().toLowerCase();
      const starts: string[] = [];
      const contains: string[] = [];
      for (const id of serving.index.passages.keys()) {
        const l = id.toLowerCase();
        if (l.startsWith(p)) starts.push(id);
        else if (p && l.includes(p) && contains.length < limit) contains.push(id);
        if (starts.length >= limit) break;
      }
      return [...starts, ...contains].slice(0, limit);
    },

    info(): IndexInfo {
      const { manifest, articles } = serving.index;
      return {
        builtAt: manifest.builtAt,
        embedder: manifest.embedder,
        passages: manifest.passages,
        problems: manifest.problems,
        articles: [...articles.values()].map(({ body: _body, ...meta }) => ({ ...meta, passages: manifest.articles[meta.id]?.passages ?? 0 })),
      };
    },

    verifyQuote(text: string): QuoteCheck {
      const quote = text.trim();
      if (!quote) return { kind: "absent" };
      const { index } = serving;
      const candidates = index.lexical.search(quote, { limit: 30 }).map((h) => index.passages.get(h.id)!).filter(Boolean);
      const matches: Extract<QuoteCheck, { kind: "verbatim" }>["matches"] = [];
      for (const p of candidates) {
        const hit = findVerbatim(quote, p.text);
        if (!hit) continue;
        const a = index.articles.get(p.articleId)!;
        matches.push({ articleId: a.id, passageId: p.id, start: p.start + hit.start, end: p.start + hit.end, title: a.title, published: a.published, url: a.url });
      }
      if (matches.length > 0) return { kind: "verbatim", matches };
      let best: (QuoteCheck & { kind: "near" }) | undefined;
      for (const p of candidates) {
        const near = nearMatch(quote, p.text);
        if (!near || near.similarity < NEAR_MATCH || (best && best.similarity >= near.similarity)) continue;
        const a = index.articles.get(p.articleId)!;
        best = { kind: "near", articleId: a.id, passageId: p.id, text: p.text.slice(near.start, near.end), similarity: round(near.similarity), missing: near.missing, extra: near.extra, title: a.title, published: a.published };
      }
      return best ?? { kind: "absent" };
    },

    reindex(onProgress?: (p: BuildProgress) => void): Promise<ReindexSummary> {
      if (reindexing) return Promise.reject(new AppError("INDEX_BUSY", "index: a rebuild is already running"));
      const run = (async () => {
        const built = await buildIndex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder: serving.embedder, previous: serving.index, onProgress });
        serving = serve(built.index, built.embedder);
        logSummary(log, built.summary);
        lastBuild = built.summary;
        return built.summary;
      })();
      reindexing = run;
      return run.finally(() => {
        reindexing = undefined;
      });
    },
  };
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
