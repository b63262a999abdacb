import type { TextPositionSelector, TextQuoteSelector } from "./fragment.js";

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
  /** Evidence score of the best sentence, 0–1, compared with ANSWER_THRESHOLD. */
  confidence: number;
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
