import type { Article } from "../corpus/article.js";
import type { Answer, PriorTurn } from "./answer.js";
import type { PreferOptions, ScoredPassage } from "../retrieval/hybrid.js";
import type { Query } from "../retrieval/query.js";

/** What an answerer is given: the question, read once (its `Query`), and the passages retrieval found, best first. */
export interface AnswerContext {
  /** The question as searched (`query.text`), with the question as the user wrote it (`query.asked`) when it is a follow-up resolved for search. */
  query: Query;
  passages: ScoredPassage[];
  /** The full article (with body) by id, for offsets and surrounding text. */
  article(id: string): Article | undefined;
  /** Earlier turns of the conversation, oldest first (follow-ups in a thread). Default none. */
  history?: PriorTurn[];
  /**
   * What a follow-up prefers: the conversation's cited passages and articles. A further citation from
   * another article must then be as strong as the first. Default none.
   */
  prefer?: PreferOptions;
  /** Return the sentences considered, with their features, in `trace` (fitting and diagnosis). Default false. */
  trace?: boolean;
}

/** One sentence an answerer considered: its evidence score and, when the model ran, its features and probability. */
export interface EvidenceTrace {
  articleId: string;
  sentenceId: string;
  /** The whole sentence. */
  quote: string;
  /** Whom the citation would credit: the speaker the article names, or its publisher. */
  source: string;
  score: number;
  /** Where the sentence's attributed span starts in the article body: sentences of one span are one quote. */
  spanStart: number;
  p?: number;
  features?: Record<string, number>;
}

/** Turns retrieved passages into a cited answer. The extractive answerer is the default; the LLM one wraps it. */
export interface Answerer {
  readonly name: string;
  answer(ctx: AnswerContext): Promise<Omit<Answer, "timings"> & { trace?: EvidenceTrace[] }>;
}

/** The answerer, asking for the sentences it considered and handing them to `onTrace` (fitting, diagnosis, tests). */
export function tracing(inner: Answerer, onTrace: (trace: EvidenceTrace[]) => void): Answerer {
  return {
    name: inner.name,
    answer: async (ctx) => {
      const a = await inner.answer({ ...ctx, trace: true });
      onTrace(a.trace ?? []);
      return a;
    },
  };
}
