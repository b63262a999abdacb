import type { Citation } from "../answer/answer.js";
import { stemsOf } from "../answer/evidence.js";
import type { ScoredPassage } from "../core.js";
import type { LlmVerdict } from "./schema.js";

/**
 * Why an LLM answer is declined: the model said the passages do not answer (`model`), or its verified
 * quotes do not address the question (`off-topic`, see {@link addressesQuestion}).
 */
export type DeclineCause = "model" | "off-topic";

/** The verdict an LLM answer carries: the model's own, and, when it was overruled, why. */
export interface Answerability extends LlmVerdict {
  /** Set when the answer is declined although the model said it answers (or when the model said so). */
  declined?: DeclineCause;
}

/**
 * Whether verified quotes address the question at all: at least one quoted sentence, or the name it is
 * attributed to, shares a content word or a name with the question. Words are compared as the lexical
 * index reads them (`stemsOf`: stop words and question words out, inflections and accents folded, so
 * "reopening" meets "reopen" and "Türkiye" meets "Turkiye"). The whole sentence a quote comes from
 * counts, not only the words quoted, because a quote often says "he" or "the city" where its sentence
 * names them. This is deliberately a low bar: it catches an answer built from real quotes about
 * something else (the model's own verdict is asked for first and catches subtler misses), and it never
 * rejects a quote that names what was asked.
 *
 * `questions` are the question as asked and, for a follow-up, as resolved for search (its words carry
 * what "it" and "they" stand for).
 */
export function addressesQuestion(questions: string[], citations: Citation[], passages: ScoredPassage[]): boolean {
  const asked = new Set(questions.flatMap((q) => [...stemsOf(q)]));
  // A question of stop words alone ("What is it?") names nothing a quote could miss.
  if (asked.size === 0) return true;
  return citations.some((c) => {
    const words = stemsOf(`${quotedSentences(c, passages)} ${c.source}`);
    for (const w of words) if (asked.has(w)) return true;
    return false;
  });
}

/** The sentences of its passage that a citation quotes from, or the quote alone when the passage is not at hand. */
function quotedSentences(c: Citation, passages: ScoredPassage[]): string {
  const passage = passages.find((p) => p.passage.id === c.passageId)?.passage;
  const sentences = passage?.sentences.filter((s) => s.start < c.end && s.end > c.start) ?? [];
  return sentences.length > 0 ? sentences.map((s) => s.text).join(" ") : c.quote;
}
