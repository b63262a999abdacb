import type { Answer } from "./answer/answer.js";
import type { Article, ArticleMeta, CorpusProblem } from "./corpus/article.js";
import type { Passage } from "./passages/passage.js";

/** Narrow retrieval to some articles, publishers or a date range (ISO dates, inclusive). */
export interface SearchFilters {
  articleIds?: string[];
  publishers?: string[];
  from?: string;
  to?: string;
}

/** Which retrievers run: used by the evaluation to compare variants in one run. */
export type RetrievalVariant = "lexical" | "vector" | "hybrid" | "hybrid+expansion";

export interface SearchOptions {
  /** Passages to return. Default RETRIEVAL_K. */
  k?: number;
  filters?: SearchFilters;
  /** Default `hybrid+expansion` when QUERY_EXPANSION is on, `hybrid` otherwise. */
  variant?: RetrievalVariant;
  /**
   * Passages and articles to favour a little (a follow-up prefers what the conversation already cited),
   * while every other passage is still searched. Default none.
   */
  prefer?: PreferOptions;
}

/** What a follow-up prefers: the passages earlier answers cited, and their articles. */
export interface PreferOptions {
  passageIds?: string[];
  articleIds?: string[];
}

/** One earlier question and answer of a conversation, as an answerer may use it. */
export interface PriorTurn {
  question: string;
  answer: string;
}

export interface AskOptions extends SearchOptions {
  /** Earlier turns of the conversation, oldest first; an LLM answerer puts them in its prompt. Default none. */
  history?: PriorTurn[];
  /**
   * The question as the user wrote it, when the one given to `ask` is a follow-up resolved for search
   * ("When did the talks take place? Kars–Gyumri railway" for "and when?"): an LLM answerer, which
   * sees `history`, answers this one. Default the question given.
   */
  asked?: string;
}

export interface ScoredPassage {
  passage: Passage;
  article: ArticleMeta;
  /** Fused score; higher is better. */
  score: number;
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

export interface IndexInfo {
  builtAt: string;
  embedder: { name: string; dimensions: number };
  articles: Array<ArticleMeta & { passages: number }>;
  passages: number;
  problems: CorpusProblem[];
}

/** Result of checking whether a text occurs in the sources (`/verify`). */
export type QuoteCheck =
  | {
      kind: "verbatim";
      matches: Array<{ articleId: string; passageId: string; start: number; end: number; title: string; published: string; url: string }>;
    }
  | {
      kind: "near";
      articleId: string;
      passageId: string;
      /** The closest span of corpus text. */
      text: string;
      /** 0–1. */
      similarity: number;
      /** Words of the query missing from the corpus span, and words of the span not in the query. */
      missing: string[];
      extra: string[];
      title: string;
      published: string;
    }
  | { kind: "absent" };

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

/** The service under its earlier name. */
export type Core = AnswerService;
