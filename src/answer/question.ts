import { cleanText } from "../text/normalize.js";

/** Discord mentions and channel links (`@everyone`, `<@123>`, `<#123>`, `<@&123>`): no words to search for. */
const MENTION = /@(?:everyone|here)\b|<(?:@[!&]?|#)\d+>/g;

/**
 * The question as it is searched: {@link cleanText} (NFKC; zero-width, bidi and control characters and
 * lone surrogates gone), and why it cannot be searched, as the message to show; `problem` is undefined
 * when it is fine. Never throws: every input gets a clear answer.
 */
export function prepareQuestion(raw: string, maxChars: number): { question: string; problem?: string } {
  const question = cleanText(raw);
  const problem = checkQuestion(question, maxChars);
  return problem ? { question, problem } : { question };
}

/** Why a (cleaned) question cannot be searched, as the message to show; undefined when it is fine. */
export function checkQuestion(question: string, maxChars: number): string | undefined {
  const q = question.trim();
  if (!q) return "Please ask a question: it was empty.";
  if (q.length > maxChars) return `Questions are limited to ${maxChars} characters; this one has ${q.length}. Please shorten it.`;
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
const QUESTION_FORM = /\?|\b(?:who|whom|whose|what|what's|whats|when|where|which|why|how)\b|^\W*(?:is|are|was|were|do|does|did|can|could|will|would|should|shall|has|have|had|may|might|must|tell|explain|list|show|give|name|describe|summari[sz]e|compare|find|according)\b/i;

export const NOT_A_QUESTION = "That doesn't read as a question, so I have nothing to cite. Ask me something about the articles: who, what, when, where, why or how?";
