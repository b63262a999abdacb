import data from "./lemma-data.json" with { type: "json" };

/** What `lemma-data.json` holds (written by `bench/lemma-data.ts` from wink-lemmatizer's WordNet data). */
export interface LemmaData {
  source: string;
  nounExceptions: Record<string, string>;
  verbExceptions: Record<string, string>;
  adjectiveExceptions: Record<string, string>;
  /** Words with a noun (verb, adjective) sense, newline-separated. */
  nouns: string;
  verbs: string;
  adjectives: string;
}

const table = data as LemmaData;
const map = (o: Record<string, string>) => new Map(Object.entries(o));
const set = (s: string) => new Set(s.split("\n"));
let tables:
  | { nounExc: Map<string, string>; verbExc: Map<string, string>; adjExc: Map<string, string>; nouns: Set<string>; verbs: Set<string>; adjectives: Set<string> }
  | undefined;
const t = () =>
  (tables ??= {
    nounExc: map(table.nounExceptions),
    verbExc: map(table.verbExceptions),
    adjExc: map(table.adjectiveExceptions),
    nouns: set(table.nouns),
    verbs: set(table.verbs),
    adjectives: set(table.adjectives),
  });

const NOUN_RULES: Array<[RegExp, string]> = [
  [/s$/, ""],
  [/ses$/, "s"],
  [/xes$/, "x"],
  [/zes$/, "s"],
  [/ves$/, "f"],
  [/ches$/, "ch"],
  [/shes$/, "sh"],
  [/men$/, "man"],
  [/ies$/, "y"],
];

/**
 * WordNet's morphy as wink-lemmatizer has it (exception lists, then suffix rules whose result must be
 * a word of that part of speech), over its data loaded as JSON: the same base forms (a test compares
 * them on every WordNet word and its inflections), without evaluating the lemmatizer's 2.8 MB of
 * JavaScript at start-up.
 */
export const lemmatizer = {
  noun(noun: string): string {
    const { nounExc, nouns } = t();
    const exc = nounExc.get(noun);
    if (exc) return exc;
    for (const [re, by] of NOUN_RULES) {
      const lemma = noun.replace(re, by);
      if (lemma.length !== noun.length && nouns.has(lemma)) return lemma;
    }
    return noun;
  },

  verb(verb: string): string {
    const { verbExc, verbs } = t();
    const exc = verbExc.get(verb);
    if (exc) return exc;
    let lemma = verb.replace(/s$/, "");
    if (lemma.length !== verb.length && verbs.has(lemma)) return lemma;
    lemma = verb.replace(/ies$/, "y");
    if (lemma.length !== verb.length && verbs.has(lemma)) return lemma;
    lemma = verb.replace(/es$|ed$|ing$/, "");
    if (lemma.length !== verb.length) {
      if (verbs.has(lemma)) return lemma;
      lemma += "e";
      if (verbs.has(lemma)) return lemma;
    }
    return verb;
  },

  adjective(adjective: string): string {
    const { adjExc, adjectives } = t();
    const exc = adjExc.get(adjective);
    if (exc) return exc;
    let lemma = adjective.replace(/est$|er$/, "");
    if (lemma.length === adjective.length) return adjective;
    if (adjectives.has(lemma)) return lemma;
    lemma += "e";
    if (adjectives.has(lemma)) return lemma;
    return adjective;
  },
};
