import { stemmer } from "stemmer";
import { lemmatizer } from "./lemma.js";
import { plainWord } from "./normalize.js";

/**
 * The project's one tokenizer, in named stages. Its consumers read a text at different depths, never
 * with a splitter or stemmer of their own:
 *
 * - {@link splitWords}: a text's words as the lexical index splits them (at spaces and punctuation);
 *   {@link lexicalTerm} then makes each an index term (accents folded, stop words out, irregular verbs to
 *   their base form, Porter-stemmed), and {@link lexicalTokens} does both: BM25 (`index/lexical.ts`),
 *   the question's terms (`retrieval/query.ts`) and the evidence score (`answer/evidence.ts`).
 * - {@link wordTokens}: words as GloVe spells them (compounds kept whole, possessive split off): the word
 *   vectors (`embeddings/glove.ts`), query expansion and follow-ups.
 * - {@link letterRuns}: runs of letters and digits, unstemmed: what a sentence shares with the question as written (the evidence score).
 * - {@link stem}: the Porter stem alone, for comparing words of a conversation (`conversation/followup.ts`).
 * - {@link STOP_WORDS}: the function words every stage leaves out.
 */

/** Spaces and punctuation: what separates the words the lexical index stores (MiniSearch's default rule, which built the stored terms). */
const SPACE_OR_PUNCTUATION = /[\n\r\p{Z}\p{P}]+/u;

/** Whether a character separates words (a space or punctuation) for the lexical index. */
export function separatesWords(ch: string): boolean {
  return SPACE_OR_PUNCTUATION.test(ch);
}

/** A text split at every run of spaces and punctuation, as the lexical index splits it (empty strings included). */
export function splitWords(text: string): string[] {
  return text.split(SPACE_OR_PUNCTUATION);
}

const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

/** Lowercased word tokens as GloVe spells them (`’` → `'`, possessive split off). */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) {
    let w = m[0].includes("’") ? m[0].replace(/’/g, "'") : m[0];
    if (w.endsWith("'s")) {
      out.push(w.slice(0, -2), "'s");
      continue;
    }
    if (w.endsWith(".")) w = w.slice(0, -1);
    out.push(w);
  }
  return out;
}

/** Parts of a compound that GloVe may not know whole: `armenia–turkey`, `kars-gyumri`, `u.s`. */
export function compoundParts(word: string): string[] {
  return word.split(/[-.']/).filter(Boolean);
}

/** Common English function words: no weight in queries, never expanded. */
export const STOP_WORDS = new Set(
  "a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves 's also may might must shall us let get got tell told say says said much many again ever still yet well there whether one ones".split(
    " ",
  ),
);

/** A text's lowercased runs of letters and digits ("armenia–turkey" is two, "u.s" too): words compared as they are written, unstemmed. */
export function letterRuns(text: string): Set<string> {
  return new Set((text.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase()));
}

/** A word's Porter stem, lowercased (no accent folding, no stop words: follow-ups compare surface words with it). */
export function stem(word: string): string {
  return stemmer(word.toLowerCase());
}

/** Words whose term is remembered: a corpus has far fewer distinct words, and stemming each again is most of tokenising. */
const TERM_CACHE = 200_000;
const terms = new Map<string, string | null>();

/**
 * Normalise a term the same way for documents and queries: lowercase, accents folded ("Türkiye" and
 * "Turkiye" meet), `’` → `'`, irregular verb forms to their base form, stemmed, stop words out.
 */
export function lexicalTerm(term: string): string | null {
  const hit = terms.get(term);
  if (hit !== undefined) return hit;
  const t = plainWord(term);
  const out = !t || STOP_WORDS.has(t) ? null : stemmer(baseForm(t));
  if (terms.size >= TERM_CACHE) terms.clear();
  terms.set(term, out);
  return out;
}

/**
 * Irregular verb forms to their base form with WordNet's exception lists (`lemmatizer.verb`:
 * "met" → meet, "began" → begin, "built" → build), which the Porter stemmer leaves alone. Regular
 * forms ("approved") and words that are not verb forms ("news") are left to the stemmer.
 */
function baseForm(word: string): string {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
  const verb = lemmatizer.verb(word);
  return verb === word || stemmer(verb) === stemmer(word) ? word : verb;
}

/** A text's words as the lexical index sees them: `[word, normalised term]`, stop words dropped. */
export function lexicalTokens(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const word of splitWords(text)) {
    const t = lexicalTerm(word);
    if (t !== null) out.push([word.toLowerCase(), t]);
  }
  return out;
}

/** The distinct terms of a text, as the lexical index stores them. */
export function termSet(text: string): Set<string> {
  return new Set(lexicalTokens(text).map(([, t]) => t));
}
