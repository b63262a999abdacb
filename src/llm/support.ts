import { findVerbatim, matchWords } from "../answer/match.js";
import type { GloveEmbeddings } from "../embeddings/glove.js";
import { lexicalTerm } from "../text/terms.js";
import { partsOfSpeech } from "../text/nlp.js";
import { checkClaim, NEGATING_TO } from "./claims.js";

/**
 * Is each sentence of the model's prose supported by the verified quotes it cites? A pure check over
 * plain text: the sentence's numbers, negations, names (people, places, months) and content words must
 * all be found in the evidence (the cited quotes, their passages, the section heading and the title),
 * directly, by stem, or through a paraphrase bridge; text in quotation marks must be corpus text
 * character for character; a named attribution ("X said", "according to X", "X:") must name
 * the verified speaker or the publisher of a cited quote; and the sentence's claim must be the
 * evidence's claim, unit for unit and actor for actor (`checkClaim` in claims.ts).
 */

/** A name (proper noun, month, day) or an ordinary word: bridges must never turn one name into another. */
export type WordKind = "name" | "word";

/**
 * Paraphrase bridge: words that may stand for `word` (lowercased) in the evidence. Stems are always
 * compared, so a bridge only adds real paraphrases ("frontier" → "border", "Türkiye" → "Turkey"). It must
 * never offer an antonym or another entity: a bridged word counts as found.
 */
export type Bridge = (word: string, kind: WordKind) => ReadonlySet<string>;

/** No paraphrases: stems only. */
export const stemsOnly: Bridge = () => EMPTY;
const EMPTY: ReadonlySet<string> = new Set();

/** One bridge from several (GloVe neighbours, WordNet synonyms, country names…): a word may stand for what any of them offers. */
export function anyBridge(...bridges: Bridge[]): Bridge {
  return (word, kind) => {
    const out = new Set<string>();
    for (const b of bridges) for (const w of b(word, kind)) out.add(w);
    return out;
  };
}

/** What one sentence is checked against. */
export interface SupportEvidence {
  /** The verified quotes the sentence cites (exact corpus text). */
  quotes: string[];
  /** Corpus text around them: their passages, the section heading, the article title. */
  context: string[];
  /** The verified speakers and publishers of the cited quotes; a named attribution must be one of them. */
  sources: string[];
}

export type SentenceVerdict = { supported: true } | { supported: false; reason: string };

/** Verbs that say who made a claim, not what the claim is: checked as attribution, not as content. */
const ATTRIBUTION_VERBS =
  "said|says|say|stated|states|noted|notes|added|adds|reported|reports|announced|announces|highlighted|stressed|emphasized|emphasised|confirmed|confirms|warned|hinted|explained|wrote|writes|argued|insisted|told|tells|claimed|claims|suggested|suggests|mentioned|cited|quoted";
const ATTRIBUTION_WORDS = new Set([
  ...ATTRIBUTION_VERBS.split("|"),
  "according",
  "reportedly",
  "report",
  "article",
  "articles",
  "passage",
  "passages",
  "source",
  "sources",
  "quote",
  "quoted",
]);
/** Discourse words and light verbs that carry no claim of their own ("goes first", "took place"). */
const LIGHT_WORDS = new Set(
  "however meanwhile moreover furthermore additionally overall also go goes went gone going come comes came coming get gets got take takes took taken taking".split(
    " ",
  ),
);
const PRONOUN_SUBJECTS = new Set(["he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those", "which", "who"]);

const CARDINALS: Record<string, string> = {
  zero: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
  ten: "10",
  eleven: "11",
  twelve: "12",
  thirteen: "13",
  fourteen: "14",
  fifteen: "15",
  sixteen: "16",
  seventeen: "17",
  eighteen: "18",
  nineteen: "19",
  twenty: "20",
  thirty: "30",
  forty: "40",
  fifty: "50",
  sixty: "60",
  seventy: "70",
  eighty: "80",
  ninety: "90",
  hundred: "100",
};
/** Words that negate a clause. */
export const NEGATIONS = new Set("not no never none nor neither nobody nothing nowhere without cannot".split(" "));
/** Number words, cardinal and ordinal, and multipliers. */
export const NUMBER_WORDS = new Set([
  ...Object.keys(CARDINALS),
  ..."thousand million billion trillion dozen half quarter first second third fourth fifth once twice".split(" "),
]);

/** A word whose change turns a statement into a different fact: a number or a negation. */
export function changesMeaning(word: string): boolean {
  return /\d/.test(word) || NUMBER_WORDS.has(word) || isNegation(word);
}

function isNegation(word: string): boolean {
  return NEGATIONS.has(word) || word.endsWith("n't");
}

const NAME = String.raw`(?:[Tt]he\s+)?\p{Lu}[\p{L}\p{N}'’.-]*(?:\s+(?:of\s+|for\s+|the\s+|de\s+|al\s+)?\p{Lu}[\p{L}\p{N}'’.-]*){0,5}`;
const ATTRIBUTIONS = [
  new RegExp(String.raw`(?:^|[\s,;(])[Aa]ccording\s+to\s+(?<who>${NAME})`, "gu"),
  new RegExp(String.raw`(?<who>${NAME})\s+(?:also\s+|later\s+|earlier\s+)?(?:${ATTRIBUTION_VERBS})\b`, "gu"),
  new RegExp(String.raw`^\s*(?<who>${NAME}):\s`, "gu"),
];

/** Names the sentence credits with its claim ("Bloomberg reported", "according to the ministry", "Putin:"). */
export function attributedNames(sentence: string): string[] {
  const out: string[] = [];
  for (const re of ATTRIBUTIONS) {
    for (const m of sentence.matchAll(re)) {
      const who = m.groups!["who"]!.replace(/\s+/g, " ").trim();
      if (PRONOUN_SUBJECTS.has(who.toLowerCase())) continue;
      if (!out.includes(who)) out.push(who);
    }
  }
  return out;
}

/** Whether `who` is `source`: the same last word either way ("Putin" ~ "Vladimir Putin", "the ministry" ~ "the Foreign Ministry"). */
export function sameSource(who: string, source: string): boolean {
  const words = (s: string) =>
    matchWords(s.replace(/['’]s\b/g, ""))
      .map((w) => w.w)
      .filter((w) => w !== "the");
  const a = words(who);
  const b = words(source);
  if (a.length === 0 || b.length === 0) return false;
  return b.includes(a[a.length - 1]!) || a.includes(b[b.length - 1]!);
}

/** Text in quotation marks (straight or curly double quotes). */
const QUOTATION = /[“"]([^”"\n]+)[”"]/g;
const MARKERS = /\s*\[[\d,;\s–-]+\]/g;

interface EvidenceIndex {
  stems: Set<string>;
  numbers: Set<string>;
  /** Clauses that hold a negation, with their content stems. */
  negated: Array<Set<string>>;
}

/**
 * Check one sentence of prose (markers may still be in it) against its evidence. Fails with a short
 * reason on: quoted text that is not corpus text; an attribution to someone who did not say the cited
 * quote; a number, name or content word found neither in the evidence nor through `bridge`; a negation
 * the evidence lacks, or one the sentence drops from a clause it otherwise repeats.
 */
export function checkSentence(sentence: string, evidence: SupportEvidence, bridge: Bridge = stemsOnly): SentenceVerdict {
  const text = sentence.replace(MARKERS, "").trim();
  const corpus = [...evidence.quotes, ...evidence.context];

  for (const m of text.matchAll(QUOTATION)) {
    const inner = m[1]!.trim();
    if (inner && !corpus.some((c) => findVerbatim(inner, c) !== undefined))
      return { supported: false, reason: `quotation "${inner}" is not the text of a cited quote` };
  }

  const named = attributedNames(text);
  for (const who of named) {
    if (!evidence.sources.some((s) => sameSource(who, s))) {
      const real = evidence.sources.filter(Boolean);
      return { supported: false, reason: `attributed to ${who}, but the cited quote is ${real.length ? real.join(" or ") : "not attributed to anyone"}` };
    }
  }

  const index = indexEvidence(corpus);
  const missing: string[] = [];
  for (const n of numbersOf(text)) if (!index.numbers.has(n)) missing.push(n);

  const nameWords = new Set(named.flatMap((n) => matchWords(n).map((w) => w.w)));
  const pos = partsOfSpeech(text);
  const words = matchWords(text);
  const content = new Set<string>();
  let negated = false;
  words.forEach((w, i) => {
    if (isNegation(w.w) || (NEGATING_TO.has(w.w) && words[i + 1]?.w === "to")) return void (negated = true);
    if (/\d/.test(w.w) || CARDINALS[w.w] || nameWords.has(w.w) || ATTRIBUTION_WORDS.has(w.w) || LIGHT_WORDS.has(w.w)) return;
    if (w.w === "place" && i > 0 && /^(?:take|takes|took|taken|taking)$/.test(words[i - 1]!.w)) return;
    const stem = lexicalTerm(w.w);
    if (stem === null) return;
    content.add(stem);
    if (index.stems.has(stem)) return;
    const original = text.slice(w.start, w.end);
    const kind: WordKind = pos.get(w.w) === "PROPN" || (i > 0 && /^\p{Lu}/u.test(original)) ? "name" : "word";
    for (const alt of bridge(w.w, kind)) {
      const s = lexicalTerm(alt);
      if (s !== null && index.stems.has(s)) return;
    }
    missing.push(original);
  });
  if (missing.length > 0) return { supported: false, reason: `not in the cited quotes: ${[...new Set(missing)].join(", ")}` };

  const overlap = (clause: Set<string>) => [...clause].filter((s) => content.has(s)).length;
  if (negated && content.size > 0 && !index.negated.some((c) => overlap(c) > 0)) return { supported: false, reason: "negation not in the cited quotes" };
  if (!negated) {
    const flipped = index.negated.find((c) => overlap(c) >= Math.min(2, content.size) && content.size > 0);
    if (flipped) return { supported: false, reason: "the cited text negates what the sentence states" };
  }
  // Every word is in the evidence; is the claim? (Units, bounds, dates, direction, modal, actor.)
  return checkClaim(text, evidence, bridge);
}

function indexEvidence(texts: string[]): EvidenceIndex {
  const stems = new Set<string>();
  const numbers = new Set<string>();
  const negated: Array<Set<string>> = [];
  for (const t of texts) {
    for (const n of numbersOf(t)) numbers.add(n);
    for (const clause of t.split(/[.;:!?]+(?:\s|$)|,\s+/)) {
      const clauseStems = new Set<string>();
      let neg = false;
      for (const w of matchWords(clause)) {
        if (isNegation(w.w)) neg = true;
        const s = lexicalTerm(w.w);
        if (s !== null) {
          stems.add(s);
          clauseStems.add(s);
        }
      }
      if (neg) negated.push(clauseStems);
    }
  }
  return { stems, numbers, negated };
}

/** Numbers as digits: `11`, `4.5`, `1000` (from `1,000`), and cardinal words (`six` → `6`). */
function numbersOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\d+(?:[.,]\d+)*/g)) out.push(m[0].replace(/,(?=\d{3}\b)/g, "").replace(/\.$/, ""));
  for (const w of matchWords(text)) if (CARDINALS[w.w]) out.push(CARDINALS[w.w]!);
  return out;
}

/** Word pairs GloVe puts close together although they mean opposite things: a bridge never crosses them. */
const OPPOSITES: Array<[string[], string[]]> = [
  [
    ["open", "reopen", "resume", "allow", "start", "begin", "lift"],
    ["close", "shut", "seal", "suspend", "halt", "stop", "ban", "block", "end", "impose"],
  ],
  [
    ["increase", "rise", "grow", "raise", "boost", "gain", "higher", "more", "up"],
    ["decrease", "fall", "drop", "reduce", "cut", "decline", "lower", "less", "fewer", "down", "lose"],
  ],
  [
    ["before", "earlier", "early", "first"],
    ["after", "later", "late", "last"],
  ],
  [
    ["accept", "agree", "approve", "win", "success"],
    ["reject", "refuse", "oppose", "lose", "failure"],
  ],
  [
    ["temporarily", "temporary", "partially", "partly"],
    ["permanently", "permanent", "completely", "fully", "entirely"],
  ],
];
const POLE = new Map<string, number>();
OPPOSITES.forEach(([a, b], i) => {
  for (const w of a) POLE.set(lexicalTerm(w)!, i * 2);
  for (const w of b) POLE.set(lexicalTerm(w)!, i * 2 + 1);
});

export interface GloveBridgeOptions {
  /** Least cosine similarity of a neighbour. Default 0.7. */
  minSimilarity?: number;
  /** Neighbours offered per word. Default 10. */
  perWord?: number;
}

/**
 * The bridge available today: GloVe neighbours of ordinary words (never of names: a neighbour of
 * "Armenia" is another country), minus any that fall on the other side of a known opposite
 * (GloVe puts "reopen" next to "closed"). Cached per word.
 */
export function gloveBridge(glove: GloveEmbeddings, opts: GloveBridgeOptions = {}): Bridge {
  const minSimilarity = opts.minSimilarity ?? 0.7;
  const k = opts.perWord ?? 10;
  const cache = new Map<string, ReadonlySet<string>>();
  return (word, kind) => {
    if (kind === "name" || !/^[a-z]{3,}$/.test(word)) return EMPTY;
    const hit = cache.get(word);
    if (hit) return hit;
    const pole = POLE.get(lexicalTerm(word) ?? "");
    const opposite = (w: string) => {
      const p = POLE.get(lexicalTerm(w) ?? "");
      return pole !== undefined && p !== undefined && p !== pole && Math.floor(p / 2) === Math.floor(pole / 2);
    };
    const near = glove.nearest(word, { k, minSimilarity, minRank: 0, maxRank: 100000, accept: (w) => /^[a-z]{3,}$/.test(w) && !opposite(w) });
    const out = new Set(near);
    if (cache.size >= 5000) cache.clear();
    cache.set(word, out);
    return out;
  };
}
