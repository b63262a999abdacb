import type { Answer } from "../src/answer/answer.js";

/** One turn of `test/fixtures/conversations.json`, written for the project on the two seed articles. */
export interface ConversationTurn {
  question: string;
  articleIds: string[];
  /** Verbatim substrings of the articles; a quote holding one answers the turn. */
  facts: string[];
  /** Acceptable sources of that quote; "*" accepts any. */
  sources: string[];
  answerable: boolean;
}

export interface Conversation {
  id: string;
  turns: ConversationTurn[];
}

/**
 * A turn is right when an answerable one is answered with a quote from an expected article that
 * holds an expected fact, attributed to an accepted source; an unanswerable one when the bot abstains.
 */
export function turnCorrect(t: ConversationTurn, a: Answer): boolean {
  if (!t.answerable) return !a.answered;
  return (
    a.answered &&
    a.citations.some(
      (c) => t.articleIds.includes(c.articleId) && t.facts.some((f) => c.quote.includes(f)) && (t.sources.includes("*") || t.sources.includes(c.source)),
    )
  );
}
