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
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves 's also may might must shall us let get got tell told say says said much many again ever still yet well there whether one ones"
  ).split(" "),
);
