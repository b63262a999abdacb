import type { TextPositionSelector, TextQuoteSelector } from "./fragment.js";
import type { SearchOptions } from "../retrieval/hybrid.js";

/** A quoted, attributed citation. `quote === article.body.slice(start, end)` always holds. */
export interface Citation {
  /** Reference number as shown, 1-based. */
  n: number;
  /** Who the article says made the claim, or the publisher when no one is named. */
  source: string;
  quote: string;
  articleId: string;
  passageId: string;
  start: number;
  end: number;
  title: string;
  publisher: string;
  published: string;
  url: string;
  /** `url#:~:text=…`: the URL with a text fragment that a browser scrolls to the quote; absent when the article has no URL. */
  link?: string;
  /** W3C Web Annotation selectors of the quote in the stored article body (see `withDeepLink`). */
  selectors?: [TextQuoteSelector, TextPositionSelector];
}

/** A passage offered as "may be related" when the bot abstains. */
export interface RelatedPassage {
  passageId: string;
  articleId: string;
  title: string;
  text: string;
  score: number;
}

export interface Answer {
  question: string;
  /** False when the bot abstains (nothing in the corpus answers). */
  answered: boolean;
  /** Human-readable answer text with `[n]` markers. */
  answer: string;
  citations: Citation[];
  related: RelatedPassage[];
  /**
   * How likely the shown answer is right, 0–1: with the fitted gates, the answerability model's
   * probability for the first citation (calibrated out-of-group by `npm run eval:news`); with the
   * threshold gate, the evidence score. 0 when the bot abstains: a rejected sentence's score is no
   * confidence in anything shown.
   */
  confidence: number;
  /**
   * When the bot abstains: the sentence that came closest to answering, cited, shown as not answering
   * the question (it failed the gate). Absent when nothing was close or the question could not be searched.
   */
  closest?: Citation;
  /** LLM answers only: the model's prose with [n] markers (the `answer` field adds the quotes). */
  prose?: string;
  /** Set when the LLM answerer ran: what quote verification did. */
  verification?: { kept: number; repaired: number; dropped: number; notes: string[] };
  /**
   * LLM answers only (prompt v3 on): the model's verdict on whether the passages answer the question, its
   * reason when not, and `declined` when the answer was declined for it (`model`) or because its quotes do
   * not address the question (`off-topic`). See src/llm/answerability.ts.
   */
  answerability?: { answerable: boolean; reason: string; declined?: "model" | "off-topic" };
  /** Short note to show, e.g. a fallback from the LLM to the extractive answer. */
  note?: string;
  timings: { totalMs: number; retrieveMs?: number; composeMs?: number; llmMs?: number };
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
