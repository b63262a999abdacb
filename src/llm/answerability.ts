import type { Citation } from "../answer/answer.js";
import { sharedBridges, type Bridge } from "../lexicon/bridges.js";
import type { LlmVerdict } from "./schema.js";
import type { ScoredPassage } from "../retrieval/hybrid.js";
import type { Query } from "../retrieval/query.js";
import { termSet } from "../text/terms.js";

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
 * attributed to, says one of the question's content words or names. Words are compared as the lexical
 * index reads them (stop words and question words out, inflections and accents folded, so "reopening"
 * meets "reopen" and "Türkiye" meets "Turkiye"), and a question word is also said by the words the
 * offline answerer credits for it (`sharedBridges`: WordNet synonyms, derivations and hypernyms, a
 * country's other names), so "quit" meets "resign". The whole sentence a quote comes from counts, not
 * only the words quoted, because a quote often says "he" or "the city" where its sentence names them.
 *
 * This is deliberately a low bar with no tuned number: it catches an answer built from real quotes about
 * something else, and the model's own verdict, asked for first, is the judge of subtler misses. On the
 * news-dev questions it keeps a sentence holding the expected answer for 91% of them (343 of 376) and
 * turns down 80% of sentences from other articles and 47% of the other sentences of the right one
 * (`npx tsx bench/llm-offtopic.ts`).
 *
 * `questions` are the question as asked and, for a follow-up, as resolved for search (its words carry
 * what "it" and "they" stand for), each read once (its `Query`).
 */
export function addressesQuestion(questions: Query[], citations: Citation[], passages: ScoredPassage[]): boolean {
  const terms = questionTerms(questions);
  // A question of stop words alone ("What is it?") names nothing a quote could miss.
  if (terms.length === 0) return true;
  return citations.some((c) => {
    const stems = termSet(`${quotedSentences(c, passages)} ${c.source}`);
    return terms.some((t) => stems.has(t.stem) || t.bridges.some((b) => b.terms.every((w) => stems.has(w))));
  });
}

/** The questions' words, once each, with the bridges that may say them. */
function questionTerms(questions: Query[]): Array<{ stem: string; bridges: Bridge[] }> {
  const seen = new Set<string>();
  const out: Array<{ stem: string; bridges: Bridge[] }> = [];
  for (const [word, stem] of questions.flatMap((q) => q.tokens)) {
    if (seen.has(stem)) continue;
    seen.add(stem);
    out.push({ stem, bridges: /^\p{L}+$/u.test(word) ? sharedBridges().from([word]) : [] });
  }
  return out;
}

/** The sentences of its passage that a citation quotes from, or the quote alone when the passage is not at hand. */
function quotedSentences(c: Citation, passages: ScoredPassage[]): string {
  const passage = passages.find((p) => p.passage.id === c.passageId)?.passage;
  const sentences = passage?.sentences.filter((s) => s.start < c.end && s.end > c.start) ?? [];
  return sentences.length > 0 ? sentences.map((s) => s.text).join(" ") : c.quote;
}
