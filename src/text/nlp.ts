import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;
let sbd: Nlp | undefined;

/** wink-nlp's English model (sentence boundaries, part-of-speech tags), loaded on first use (~0.2 s). */
export function english(): Nlp {
  nlp ??= winkNLP(model);
  return nlp;
}

/**
 * The same model with only its sentence-boundary step: the same sentences as `english()` (checked on
 * the seed corpus and 300 generated articles), without tagging parts of speech and entities, which
 * made indexing about twice as slow.
 */
export function sentenceSplitter(): Nlp {
  sbd ??= winkNLP(model, ["sbd"]);
  return sbd;
}

/** Universal POS tag of each word of a short text, keyed by the lowercased word. */
export function partsOfSpeech(text: string): Map<string, string> {
  const doc = english().readDoc(text);
  const words = doc.tokens().out();
  const tags = doc.tokens().out(english().its.pos);
  const out = new Map<string, string>();
  words.forEach((w, i) => {
    const key = w.toLowerCase();
    if (!out.has(key)) out.set(key, tags[i] ?? "X");
  });
  return out;
}
