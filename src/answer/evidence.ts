import type { LexicalIndex } from "../index/lexical.js";
import { lexicalTerm } from "../text/terms.js";
import { partsOfSpeech } from "../text/nlp.js";
import type { Query } from "../retrieval/query.js";
import { foldAccents } from "../text/normalize.js";
import { CALENDAR_WORD, type AnswerType, type CueKind } from "../lexicon/answer-type.js";
import { sharedBridges, type Bridge } from "../lexicon/bridges.js";
import type { WordNetPos } from "../lexicon/wordnet.js";

/** wink-nlp's universal part-of-speech tags as WordNet's parts of speech. */
const WORDNET_POS: Record<string, WordNetPos> = { NOUN: "n", VERB: "v", ADJ: "a", ADV: "r" };
/** Particles that make a phrasal verb with the word before them ("call off", "hand over", "put back"). */
const PARTICLES = /(?<![\p{L}\p{N}])([\p{L}]+)\s+(off|over|up|back|down|out|away|on|in)(?![\p{L}\p{N}])/giu;

/** A question (its {@link Query}) reduced to weighted terms, with expansions, and read for what it asks. */
export interface QueryModel {
  terms: Array<{
    stem: string;
    weight: number;
    idf: number;
    /** Word-vector neighbours and prefixed forms ("reopen" for open). */
    alternatives: string[];
    /** WordNet and country bridges, each with its credit. */
    bridges: Bridge[];
    inCorpus: boolean;
    noun: boolean;
    focus: boolean;
  }>;
  /** Passages in the index, for IDF. */
  documents: number;
  /** Names in the question ("Putin", "the ministry"): a span attributed to one of them answers "what did X say". */
  names: string[];
  vector: Float32Array | undefined;
  /** What kind of fact the question asks for, from its wh-word (the query's `cue`). */
  wants: CueKind;
  /** A "when will/could…" question asks about the future: a past date does not answer it. */
  future: boolean;
  /** A "when did/was…" question asks about the past. */
  past: boolean;
  /** The question asks about a statement ("when did the minister speak…"): the saying is the event. */
  asksSpeech: boolean;
  /** The question asks for a name ("what is the name of…", "what are the two models called"). */
  asksName: boolean;
  /** Lowercased words of the question, to tell new information in a span from an echo. */
  words: Set<string>;
  /** The same, accents folded. */
  questionWords: Set<string>;
  /** What kind of fact is asked for, found anywhere in the question, with its unit. */
  type: AnswerType;
  /** The question's names and figures ("saskatchewan", "2025"), lowercased and accents folded. */
  specifics: string[];
  /** Years the question names ("in 2023"). */
  years: string[];
  /** Whom a "who is the…" question asks about ("premier"), as the index of its term. */
  asksAbout?: number;
  /** What a "how many…" question counts ("how many tonnes of mackerel": tonne, mackerel), as the indexes of its terms. */
  counted: number[];
  /** Its names alone, less a capitalised first word ("Roughly how many…"): what an answering article must name. */
  entities: string[];
}

const TIME =
  /\b(?:jan|feb|aug|sept?|oct|nov|dec)\.(?!\S)|\b(?:\d{4}|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|months?|years?|weeks?|days?|decades?|since|until|soon|next|earlier|later|today|yesterday)\b/i;
/** Words of looking ahead, and of what has happened: a sentence with the first and none of the second only looks ahead. */
const FUTURE_ONLY = /\b(?:will|next|coming|upcoming|from the beginning of)\b/i;
const PAST =
  /\b(?:was|were|had|did|held|met|began|ended|took|gave|made|came|went|saw|got|left|won|lost|paid|sold|put|set|cut|ran|became|brought|bought|built|chose|drove|fell|felt|found|grew|kept|knew|led|meant|rose|sent|stood|struck|thought|(?!(?:stated|added|noted|warned|announced|reported|insisted|argued|explained|claimed|remarked)\b)\w+ed)\b/i;
/** The act of saying, in the past: the event a question about a statement asks after ("when did Erdogan speak…"). */
const SPOKEN = /\b(?:said|told|spoke|wrote|stated|added|noted|warned|announced|reported|insisted|argued|explained|claimed|remarked)\b/i;
const ASKS_NAME = /\bnames?\b|\bnamed\b|\bcalled\b\s*\??\s*$/;
const ASKS_SPEECH = /\b(?:say|said|speak|spoke|tell|told|write|wrote|state|stated|announce|announced|report|reported|remark|remarked|address|addressed)\b/;
const FUTURE =
  /\b(?:next|within|soon|coming|upcoming|later|future|from the beginning of|by (?:the )?end of|until|will|could|would|wants? to|wanted to|plans? to|planned to|intends? to|intended to|expects? to|expected to|aims? to|hopes? to|is due|are due|is set to|are set to|voted to)\b/i;
const REASON = /\b(?:because|due to|following|after|as a result|linking|owing to|thanks to|in order to|so that|led to|amid)\b/i;
const PERSON = /\b(\p{Lu}\p{Ll}+)\s+(?:\p{Lu}\.\s+)?(\p{Lu}\p{Ll}+)\b/gu;
const MONEY = /[$€£¥]|\b(?:euros?|dollars?|pounds?|yuan|rubles?|roubles?|lira|drams?|billion|million|trillion)\b/i;
const NUMBER = /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|dozen|hundred|thousand|million|billion)\b/i;

/** Weigh the query's words by rarity in the corpus (BM25's IDF), with the GloVe neighbours it carries. */
export function modelQuery(query: Query, lexical: LexicalIndex): QueryModel {
  const question = query.text;
  const n = Math.max(lexical.documentCount, 1);
  const seen = new Set<string>();
  const terms: QueryModel["terms"] = [];
  // Capitalised words are names: their GloVe neighbours are other entities, never synonyms.
  const pos = partsOfSpeech(question);
  // The thing asked about: "Who is the mayor…", "How many tourists…", "Which railway…".
  const focusMatch = /^\s*(?:who|what|which|how many|how much)\s+(?:(?:is|are|was|were)\s+)?(?:(?:the|a|an)\s+)?([\p{L}-]+)/iu.exec(question);
  const focusWord = focusMatch?.[1]?.toLowerCase();
  const focus = focusWord && (pos.get(focusWord) === "NOUN" || pos.get(focusWord) === "PROPN") ? focusWord : undefined;
  const { names } = query;
  const asking = askingWords(question);
  for (const [word, stem] of query.tokens) {
    if (word.length < 2 || seen.has(stem) || asking.has(word)) continue;
    seen.add(stem);
    const df = lexical.documentFrequency(word);
    // Nouns, names and numbers carry what a question is about; verbs and adjectives weigh less.
    const tag = pos.get(word) ?? "NOUN";
    const noun = tag === "NOUN" || tag === "PROPN" || tag === "NUM";
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const weight = idf * (noun ? 1 : EVIDENCE_WEIGHTS.otherWord);
    const plain = !names.has(word) && /^\p{L}+$/u.test(word);
    const alternatives = plain ? [...(query.neighbours.get(word) ?? [])] : [];
    // "open again" is "reopen", "conditions" are met by "preconditions": prefixed forms of a word.
    if (plain && stem.length >= 4) for (const prefix of ["re", "pre"]) if (!stem.startsWith(prefix)) alternatives.push(`${prefix}${stem}`);
    // Names bridge only to other forms of a country ("Moscow" → Russia); other words through WordNet too.
    const bridges = /^\p{L}+$/u.test(word) ? sharedBridges().from([word], WORDNET_POS[tag], { countriesOnly: names.has(word) }) : [];
    terms.push({ stem, weight, idf, alternatives, bridges: [...bridges], inCorpus: df > 0, noun, focus: word === focus });
  }
  // A phrasal verb of the question bridges as one ("call off" → cancel), credited to its verb's term.
  for (const m of question.matchAll(PARTICLES)) {
    const bridges = sharedBridges();
    if (!bridges.isCollocation([m[1]!, m[2]!])) continue;
    const term = terms.find((t) => t.stem === lexicalTerm(m[1]!));
    if (term) term.bridges.push(...bridges.from([m[1]!, m[2]!], "v"));
  }
  const q = question.toLowerCase();
  const nameList = [...names].filter(
    (n) => n.length > 2 && !["what", "when", "who", "which", "where", "why", "how", "did", "does", "is", "are", "has", "have", "will"].includes(n),
  );
  const { words } = query;
  const future = /\b(?:will|could|would|might|may|shall|going to|expected to|plan(?:s|ned)? to)\b/.test(q);
  const past = !future && /^\s*(?:when|on what|in what|since when)\b[^?]*\b(?:did|was|were|had)\b/.test(q);
  const folded = foldAccents(question);
  const questionWords = query.foldedWords;
  const specifics = specificsOf(folded);
  const first = /^[^\p{L}\p{N}]*([\p{L}'’-]+)/u
    .exec(folded)?.[1]
    ?.toLowerCase()
    .replace(/['’]s$/, "");
  // Acronyms are often spelt out ("EU", the European Union), months and weekdays are dates.
  const capitalised = specifics.filter(
    (w) => !/\d/.test(w) && w !== first && !CALENDAR_WORD.test(w) && !new RegExp(`(?<![\\p{L}])${w.toUpperCase()}(?![\\p{L}])`, "u").test(folded),
  );
  // Names written in lower case ("what did it cost kudiflow…"): words no dictionary has.
  const unknown = [...questionWords].filter(
    (w) => w.length >= UNKNOWN_NAME_MIN && /^\p{Ll}+$/u.test(w) && lexicalTerm(w) !== null && (!sharedBridges().isWord(w) || sharedBridges().isCountry([w])),
  );
  const entities = [...new Set([...capitalised, ...unknown])];
  const counted = countedTerms(folded, pos, terms);
  const whoIs = asksAboutTerm(question, terms);
  const years = [...new Set(folded.match(/(?<!\d)(?:19|20)\d{2}(?!\d)/g) ?? [])];
  const vector = query.vector.some((x) => x !== 0) ? Float32Array.from(query.vector) : undefined;
  return {
    type: query.type,
    questionWords,
    specifics,
    entities,
    counted,
    years,
    ...(whoIs >= 0 ? { asksAbout: whoIs } : {}),
    terms,
    documents: n,
    vector,
    wants: query.cue,
    future,
    past,
    asksSpeech: ASKS_SPEECH.test(q),
    asksName: ASKS_NAME.test(q),
    words,
    names: nameList,
  };
}

/**
 * Words that say what kind of fact is asked for, not what about ("on what exact date", "what figure",
 * "the name of", "how long"): an answer states the fact and seldom names its kind. As terms they would count
 * against every answer, and for a sentence that says the fact was not given ("no exact date has been set").
 */
const ASKING =
  /\b(?:what|which)\s+((?:(?:exact|precise|specific|particular)\s+)?(?:dates?|days?|years?|months?|time|weeks?|figures?|amount|sum|kind|type|sort))\b|\b(names?)\s+of\b|\bhow\s+(long|big|large|quickly|fast|soon|far|old|deep|tall|wide|high|heavy|often)\b/giu;

function askingWords(question: string): Set<string> {
  const out = new Set<string>();
  for (const m of question.matchAll(ASKING)) for (const w of (m[1] ?? m[2] ?? m[3]!).toLowerCase().split(/\s+/)) out.add(w);
  return out;
}

/**
 * Whom a "who is the…" question asks about: the word after it ("the premier", whatever its tag). Not
 * the noun of a "which…" question: that names a kind, and the answer an instance of it ("which
 * country" is answered by "engineers from Türkiye"). -1 for other questions.
 */
function asksAboutTerm(question: string, terms: QueryModel["terms"]): number {
  const word = /^\W*who\s+(?:is|are|was|were)\s+(?:the\s+)?(?:current\s+|new\s+)?([\p{L}-]+)/iu.exec(question)?.[1];
  if (!word) return -1;
  const stem = lexicalTerm(word.toLowerCase());
  return terms.findIndex((t) => t.stem === stem);
}

/**
 * What a "how many…" question counts: the head noun of each phrase right after it, split by "of" ("how
 * many holdover fires": fire; "how many tonnes of mackerel": tonne, mackerel; "how many card terminals":
 * terminal), as indexes of its terms. The phrase ends at the first word that is neither noun,
 * adjective, number, "of" nor "the".
 */
function countedTerms(question: string, pos: Map<string, string>, terms: QueryModel["terms"]): number[] {
  const m = /\bhow many\s+(.*)$/i.exec(question);
  if (!m) return [];
  const heads: string[] = [];
  let head: string | undefined;
  for (const word of m[1]!.match(/[\p{L}\p{N}'’-]+/gu) ?? []) {
    const w = word.toLowerCase();
    // "How many times…" counts occurrences: "twice", "three times" say it whatever follows.
    if (w === "times" && heads.length === 0 && head === undefined) break;
    const tag = pos.get(w) ?? "X";
    if (w === "of") {
      if (head) heads.push(head);
      head = undefined;
      continue;
    }
    if (w === "the" || tag === "NUM" || tag === "ADJ") continue;
    if (tag !== "NOUN" && tag !== "PROPN") break;
    head = w;
  }
  if (head) heads.push(head);
  return heads.map((w) => terms.findIndex((t) => t.stem === lexicalTerm(w))).filter((i) => i >= 0);
}

/**
 * The weights of the hand-tuned evidence score ({@link evidenceDetail}), in one place. Chosen by hand on
 * the team's question set (`test/fixtures/questions.json`, `npm run eval`) together with
 * `ANSWER_THRESHOLD` (commits 48bd0aa and c527f4d), not fitted: the answerability model reads the score
 * and its parts as features and is fitted over them on the development split (`npm run fit`). Changing
 * one changes answers and calls for a refit.
 */
export interface EvidenceWeights {
  /** A question word's share of its IDF weight when it is no noun, name or number (a verb, an adjective). */
  otherWord: number;
  /** Share of the score for the weighted coverage of the question's words. */
  coverage: number;
  /** Share of the score for the cosine of the question's and the span's GloVe vectors (when positive). */
  semantic: number;
  /** Share of the score for novelty: names and figures the span adds to the question. */
  novelty: number;
  /** Names and figures new to the question that make a span fully novel. */
  noveltyFull: number;
  /** Added to the score when the span is attributed to a speaker the question names. */
  spoken: number;
  /**
   * Coverage credit of a question noun met in the span only through a word-vector neighbour, which may be a
   * sibling ("mayor" → governor) rather than a synonym; a WordNet or country bridge counts at its own
   * credit when that is at least this.
   */
  neighbourNoun: number;
  /** …and of any other question word (same rule for bridges). */
  neighbourOther: number;
  /** Coverage credit of a question word met only in the paragraph, heading or title around the span. */
  context: number;
  /** …met there only through a word-vector neighbour. */
  contextNeighbour: number;
  /** Doubt added by the question's focus noun ("Who is the mayor…") when met only through a neighbour; another noun adds 1. */
  focusDoubt: number;
  /** Factor on the score per question noun the corpus never uses and nothing here stands in for. */
  foreign: number;
  /** Factor on the score per unit of doubt (a noun the corpus never uses, met only through a neighbour). */
  doubt: number;
  /** Factor on the score of a "who" question's span that names no person. */
  untypedPerson: number;
  /** …of a typed question's span that lacks the kind of fact asked for (a date for "when", a figure for "how many"). */
  untyped: number;
  /** …of a "when will…" span with no future in it, or a "when did…" one that only looks ahead. */
  wrongTense: number;
  /** Credit of a word-vector neighbour in the features ({@link termCredit}); the score uses its own above. */
  neighbourFeature: number;
}

export const EVIDENCE_WEIGHTS: EvidenceWeights = {
  otherWord: 0.6,
  coverage: 0.7,
  semantic: 0.3,
  novelty: 0.08,
  noveltyFull: 3,
  spoken: 0.12,
  neighbourNoun: 0.55,
  neighbourOther: 0.7,
  context: 0.4,
  contextNeighbour: 0.25,
  focusDoubt: 2,
  foreign: 0.85,
  doubt: 0.85,
  untypedPerson: 0.6,
  untyped: 0.75,
  wrongTense: 0.9,
  neighbourFeature: 0.6,
};

export interface EvidenceInput {
  /** Stems of the quoted span itself. */
  span: Set<string>;
  /** Stems of the rest of its paragraph and the article title. */
  context: Set<string>;
  /** Text of the span, for the answer-type cue. */
  text: string;
  /** Who the span is attributed to, if anyone. */
  source?: string | undefined;
  vector: Float32Array | undefined;
}

/**
 * How well a span answers the question, 0–1: weighted term coverage (a synonym counts 0.7, a word in
 * the surrounding paragraph 0.4), blended with vector similarity, plus a small bonus when the span
 * holds the kind of fact asked for (a date for "when", a number for "how many").
 */
export function evidenceScore(q: QueryModel, e: EvidenceInput): number {
  return evidenceDetail(q, e).score;
}

/** The parts of {@link evidenceScore}, which the answerability model reads as features. */
export interface EvidenceDetail {
  score: number;
  /** IDF-weighted share of the question's words in the span itself (a synonym at 0.6). */
  spanCoverage: number;
  /** … met only in the surrounding paragraph or title. */
  contextCoverage: number;
  /** IDF-weighted share of the question's words in the span as written (same stem). */
  exactCoverage: number;
  /** … met in the span only through a word-vector neighbour, often a sibling rather than a synonym ("freight" for passenger). */
  neighbourOnly: number;
  /** The rarest question word found in neither span nor context, as its IDF over the corpus maximum, 0–1. */
  missingRare: number;
  /** The rarest question word the span itself lacks, likewise. */
  missingRareSpan: number;
  foreign: number;
  doubt: number;
  semantic: number;
  cue: boolean;
  /** A "when will/could…" question and a sentence with no future in it, or a "when did…" one and a sentence that only looks ahead. */
  tenseMismatch: boolean;
  novelty: number;
  spoken: number;
}

export function evidenceDetail(q: QueryModel, e: EvidenceInput): EvidenceDetail {
  let total = 0;
  let covered = 0;
  let foreign = 0;
  let doubt = 0;
  let spanCovered = 0;
  let contextCovered = 0;
  let missingRare = 0;
  let missingRareSpan = 0;
  let exactCovered = 0;
  let neighbourCovered = 0;
  const maxIdf = Math.log(1 + (q.documents + 0.5) / 0.5);
  const weights = EVIDENCE_WEIGHTS;
  const neighbour = (t: QueryModel["terms"][number]) => (t.noun ? weights.neighbourNoun : weights.neighbourOther);
  for (const t of q.terms) {
    total += t.weight;
    const bridgedSpan = bridged(t.bridges, e.span);
    if (e.span.has(t.stem)) exactCovered += t.weight;
    else if (bridgedSpan === 0 && t.alternatives.some((a) => e.span.has(a))) neighbourCovered += t.weight;
    const inSpan = termCredit(t, e.span);
    const inContext = inSpan === 0 && (e.context.has(t.stem) || t.alternatives.some((a) => e.context.has(a)) || bridged(t.bridges, e.context) > 0);
    spanCovered += inSpan * t.weight;
    if (inContext) contextCovered += t.weight;
    const rarity = t.idf / maxIdf;
    if (inSpan === 0) missingRareSpan = Math.max(missingRareSpan, rarity);
    if (inSpan === 0 && !inContext && t.inCorpus) missingRare = Math.max(missingRare, rarity);
    if (e.span.has(t.stem)) covered += t.weight;
    // A WordNet or country bridge counts at its own credit (a synonym 0.8, a capital 0.6).
    else if (bridgedSpan > 0 && bridgedSpan >= neighbour(t)) covered += bridgedSpan * t.weight;
    // A neighbour of a noun may be a sibling ("mayor" → governor) rather than a synonym: less credit,
    // and a noun met only through a neighbour leaves some doubt about what is being asked.
    else if (t.alternatives.some((a) => e.span.has(a))) {
      covered += neighbour(t) * t.weight;
      if (t.noun && !t.inCorpus) doubt += t.focus ? weights.focusDoubt : 1;
    } else if (e.context.has(t.stem)) covered += weights.context * t.weight;
    else if (t.alternatives.some((a) => e.context.has(a))) {
      covered += weights.contextNeighbour * t.weight;
      if (t.noun && !t.inCorpus) doubt += t.focus ? weights.focusDoubt : 1;
    }
    // A word the corpus never uses, with no synonym here either: the question is about something else.
    else if (!t.inCorpus && t.noun) foreign += 1;
  }
  const coverage = total > 0 ? covered / total : 0;
  let semantic = 0;
  if (q.vector && e.vector) for (let d = 0; d < q.vector.length; d++) semantic += q.vector[d]! * e.vector[d]!;
  const cue =
    q.wants === "time"
      ? TIME.test(e.text)
      : q.wants === "money"
        ? MONEY.test(e.text)
        : q.wants === "number"
          ? NUMBER.test(e.text)
          : q.wants === "reason"
            ? REASON.test(e.text)
            : q.wants === "person"
              ? [...e.text.matchAll(PERSON)].some((m) => !q.words.has(m[1]!.toLowerCase()) || !q.words.has(m[2]!.toLowerCase()))
              : false;
  // A "when" question answered without any time expression is not answered (likewise numbers).
  // "Who" wants a named person; without one a span only talks around the question.
  let typed = q.wants === "other" || q.wants === "place" ? 1 : cue ? 1 : q.wants === "person" ? weights.untypedPerson : weights.untyped;
  if (q.wants === "time" && q.future && cue && !FUTURE.test(e.text)) typed = weights.wrongTense;
  // "When did…" asks about the past: a sentence that only looks ahead ("will be taken next year") does not answer it.
  if (q.wants === "time" && q.past && cue && FUTURE_ONLY.test(e.text) && !PAST.test(e.text)) typed = weights.wrongTense;
  // Answers add specifics the question lacks (names, figures); a span that only echoes it adds nothing.
  const specifics = (e.text.match(/(?<![\p{L}\p{N}])(?:\p{Lu}[\p{L}’'-]+|\d[\d.,]*)/gu) ?? []).filter((w) => !q.words.has(w.toLowerCase()));
  const novelty = Math.min(1, new Set(specifics).size / weights.noveltyFull);
  const source = e.source?.toLowerCase() ?? "";
  const spoken = source !== "" && q.names.some((n) => source.includes(n)) ? weights.spoken : 0;
  const score = (weights.coverage * coverage + spoken + weights.semantic * Math.max(0, semantic) + weights.novelty * novelty) * typed;
  return {
    score: Math.min(1, score * weights.foreign ** foreign * weights.doubt ** doubt),
    spanCoverage: total > 0 ? spanCovered / total : 0,
    contextCoverage: total > 0 ? contextCovered / total : 0,
    exactCoverage: total > 0 ? exactCovered / total : 0,
    neighbourOnly: total > 0 ? neighbourCovered / total : 0,
    missingRare,
    missingRareSpan,
    foreign,
    doubt,
    semantic,
    cue,
    tenseMismatch:
      (q.type.kind === "date" || q.type.kind === "duration") &&
      ((q.future && !FUTURE.test(e.text)) || (q.past && FUTURE_ONLY.test(e.text) && !PAST.test(e.text) && !(q.asksSpeech && SPOKEN.test(e.text)))),
    novelty,
    spoken,
  };
}

/** How well a text's stems say a question term: 1 as written, a bridge at its credit, a word-vector neighbour at 0.6, else 0. */
export function termCredit(t: QueryModel["terms"][number], stems: Set<string>): number {
  if (stems.has(t.stem)) return 1;
  return Math.max(bridged(t.bridges, stems), t.alternatives.some((a) => stems.has(a)) ? EVIDENCE_WEIGHTS.neighbourFeature : 0);
}

/** The best credit of a bridge whose terms all occur in the stems. */
function bridged(bridges: Bridge[], stems: Set<string>): number {
  for (const b of bridges) if (b.terms.every((t) => stems.has(t))) return b.weight;
  return 0;
}

/** Shortest lower-case word taken for a name when no dictionary has it. */
const UNKNOWN_NAME_MIN = 4;

/** Words that open or shape a question: capitalised there, but no name. */
const QUESTION_WORDS = new Set([
  "what",
  "when",
  "who",
  "whom",
  "whose",
  "which",
  "where",
  "why",
  "how",
  "did",
  "does",
  "do",
  "is",
  "are",
  "was",
  "were",
  "has",
  "have",
  "had",
  "will",
  "would",
  "could",
  "can",
  "should",
  "according",
  "in",
  "on",
  "at",
  "the",
  "a",
  "an",
  "and",
  "if",
  "since",
  "by",
  "for",
  "from",
  "to",
  "of",
  "i",
  "after",
  "before",
  "during",
  "under",
  "as",
  "besides",
  "apart",
  "other",
  "than",
  "tell",
  "give",
  "name",
  "list",
]);

/** The names and figures of a (folded) question: capitalised words that are not question words, and numbers. */
function specificsOf(question: string): string[] {
  const out = new Set<string>();
  for (const m of question.matchAll(/(?<![\p{L}\p{N}])(\p{Lu}[\p{L}'’-]*|\d[\d.,]*\d|\d)/gu)) {
    const w = m[1]!
      .toLowerCase()
      .replace(/['’]s$/, "")
      .replace(/[.,]$/, "");
    if (QUESTION_WORDS.has(w) || (w.length < 2 && !/\d/.test(w))) continue;
    out.add(w);
  }
  return [...out];
}
