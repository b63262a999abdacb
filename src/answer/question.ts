import { cleanText } from "../text/normalize.js";

/** Discord mentions and channel links (`@everyone`, `<@123>`, `<#123>`, `<@&123>`): no words to search for. */
const MENTION = /@(?:everyone|here)\b|<(?:@[!&]?|#)\d+>/g;
/** Custom emoji (`<:name:123>`, `<a:name:123>`) and Discord's timestamps (`<t:1700000000:R>`). */
const EMOJI_OR_TIME = /<a?:\w+:\d+>|<t:-?\d+(?::[tTdDfFR])?>/g;
/** Slash-command mentions (`</ask:123>`). */
const COMMAND = /<\/[\w -]+:\d+>/g;
/** A masked link, `[words](https://…)`: its words are the question's, its address is not. */
const MASKED_LINK = /\[([^\]]*)\]\(<?https?:\/\/[^)\s]*>?\)/g;
/** A bare address, with or without Discord's `<…>` that stops its preview. */
const URL = /<?\bhttps?:\/\/[^\s>]+>?/g;

/**
 * A chat message less what Discord adds to it: mentions, channel and role links, custom emoji,
 * timestamps, command mentions and addresses are no words of the question (a masked link keeps its
 * words). "<@123> when could the border reopen?" asks what "when could the border reopen?" asks.
 */
export function stripChatDecoration(text: string): string {
  return text.replace(MASKED_LINK, "$1").replace(URL, " ").replace(MENTION, " ").replace(EMOJI_OR_TIME, " ").replace(COMMAND, " ").replace(/\s+/g, " ").trim();
}

/**
 * The question as it is searched: {@link cleanText} (NFKC; zero-width, bidi and control characters and
 * lone surrogates gone) less chat decoration ({@link stripChatDecoration}), and why it cannot be
 * searched, as the message to show; `problem` is undefined when it is fine. Never throws: every input
 * gets a clear answer.
 */
export function prepareQuestion(raw: string, maxChars: number): { question: string; problem?: string } {
  const cleaned = cleanText(raw);
  // The length limit is on what was sent; the words to check are what is left of it.
  if (cleaned.length > maxChars) return { question: cleaned, problem: tooLong(cleaned, maxChars) };
  const question = stripChatDecoration(cleaned);
  const problem = checkQuestion(question, maxChars);
  return problem ? { question, problem } : { question };
}

/** The question as it is searched, whatever its length or form: what {@link prepareQuestion} makes of it. */
export function cleanQuestion(raw: string): string {
  return stripChatDecoration(cleanText(raw));
}

function tooLong(q: string, maxChars: number): string {
  return `Questions are limited to ${maxChars} characters; this one has ${q.length}. Please shorten it.`;
}

/** Why a (cleaned) question cannot be searched, as the message to show; undefined when it is fine. */
export function checkQuestion(question: string, maxChars: number): string | undefined {
  const q = question.trim();
  if (!q) return "Please ask a question: it was empty.";
  if (q.length > maxChars) return tooLong(q, maxChars);
  const words = q.replace(MENTION, " ");
  if (!/[\p{L}\p{N}]/u.test(words)) return "That question has no words to search for. Please ask in words.";
  if (!/[A-Za-z0-9]/.test(words)) return "I can only search the articles in English; please ask in English.";
  if (!QUESTION_FORM.test(words)) return NOT_A_QUESTION;
  return undefined;
}

/**
 * What a question looks like: a question mark, a wh-word anywhere ("so when will…", "and which…"), or an
 * opening that asks or requests ("is…", "did…", "tell me…", "list…"). Chat that is none of these ("ok
 * cool", "stay safe Iceland", a bare name) is not answered with citations.
 */
const QUESTION_FORM =
  /\?|\b(?:who|whom|whose|what|what's|whats|when|where|which|why|how)\b|^\W*(?:is|are|was|were|do|does|did|can|could|will|would|should|shall|has|have|had|may|might|must|tell|explain|list|show|give|name|describe|summari[sz]e|compare|find|according)\b/i;

export const NOT_A_QUESTION =
  "That doesn't read as a question, so I have nothing to cite. Ask me something about the articles: who, what, when, where, why or how?";
