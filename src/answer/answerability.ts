import { z } from "zod";
import { hasWord } from "../text/normalize.js";
import { disclaimsKind, FIGURE_KINDS, findAnswerType, unitMatches, type AnswerType } from "../lexicon/answer-type.js";
import type { EvidenceDetail } from "./evidence.js";
import fitted from "./answerability.v1.json" with { type: "json" };

/**
 * The answerability model: one logistic regression over named features of a retrieved sentence, saying
 * how likely it is to state the fact the question asks for. The answer leads with the likeliest of the
 * best-scored sentences and abstains when even that one is under the fitted threshold. Weights and
 * threshold are fitted by `npm run fit` on the development split only and committed as
 * `answerability.v1.json` beside this file.
 */

/** The features, in the model's order. */
export const FEATURES = [
  /** The hand-tuned evidence score (coverage, similarity, novelty, answer-type cue), 0–1. */
  "heuristic",
  /**
   * This sentence's evidence score minus the best other sentence's of the same article. Only within the
   * article: several articles on one story state the same fact, and a small margin there means agreement.
   */
  "margin",
  /** IDF-weighted share of the question's words in the quoted span itself. */
  "spanCoverage",
  /** … met only in the paragraph or the title. */
  "contextCoverage",
  /** IDF-weighted share of the question's words in the span as written. */
  "exactCoverage",
  /** … met only through a word-vector neighbour, often a sibling ("freight" for passenger). */
  "neighbourOnly",
  /** The rarest question word found nowhere near the sentence, 0–1 (its IDF over the largest). */
  "missingRare",
  /** The rarest question word the span itself lacks, 0–1. */
  "missingRareSpan",
  /** Question nouns the corpus never uses and nothing stands in for. */
  "foreign",
  /** Question nouns the corpus never uses, met only through a word-vector neighbour. */
  "doubt",
  /** Cosine of the question's and the sentence's GloVe vectors. */
  "semantic",
  /** The question asks for a typed fact (date, duration, figure, person, cause, …). */
  "typeWanted",
  /** The typed fact is a figure or a date (whose presence a pattern tells surely). */
  "figureWanted",
  /** … and the sentence states one (one the question does not give, for figures and names). */
  "typeInSentence",
  /** … and the quoted span states one. */
  "typeInSpan",
  /** … and the sentence states one the question does not already give ("$62 million" asked about is no answer). */
  "typeNew",
  /** A "when will/could…" question and a sentence with no future in it, or a "when did…" one and a sentence that only looks ahead. */
  "tenseMismatch",
  /** The question names a unit (miles) and the sentence's figure uses another. */
  "unitMismatch",
  /** Share of the question's names and figures that the sentence, its paragraph and title do not have. */
  "specificsMissing",
  /** … that the sentence itself does not have. */
  "specificsMissingSpan",
  /** The sentence says the fact was not given ("did not say how much", "gave no figure", "no date has been set"). */
  "disclaims",
  /** The question names a speaker and the span is attributed to them. */
  "spoken",
  /** The question names a publisher of the corpus, and this article is not theirs. */
  "publisherMismatch",
  /** Names and figures in the span that the question lacks, /3, up to 1. */
  "novelty",
  /** 1 / (1 + retrieval rank of the passage). */
  "rank",
  /**
   * Coverage of the question's words that are not the article's topic (words most of its sentences or its
   * title use): what the question asks about the topic. 1 when every word is topical.
   */
  "attributeCoverage",
  /** The rarest such word found in neither the sentence nor its paragraph, 0–1. */
  "attributeMissing",
  /** Coverage with each question word weighted by how few of the retrieved sentences say it: what tells this sentence from its neighbours. */
  "localCoverage",
  /** The sentence is a photo caption. */
  "caption",
  /** The sentence opens the article (the lede, which touches every topic of the story). */
  "lede",
  /**
   * The hand rules let it answer: it states the asked kind of fact, for the asked year, of what is
   * counted, of the asked kind of sum, without saying the fact was not given, and says more than its
   * article's topic. A feature, not a filter, so the fit weighs it by what it is worth out-of-group.
   */
  "rulesPass",
  /** Its article names every name of the question the corpus knows. */
  "namesAll",
  /** The evidence score of the sentence before it in its passage: the fact often follows the sentence that matches. */
  "previous",
  /** Weighted share of the question's words its article uses anywhere: whether the story is the one asked about. */
  "articleCoverage",
  /** … that its article's title uses. */
  "titleCoverage",
  /** 1 / (1 + the rank of its article among the retrieved ones, by best passage). */
  "articleRank",
] as const;

export type FeatureName = (typeof FEATURES)[number];
export type Features = Record<FeatureName, number>;

const Linear = z.object({
  /** Standardisation: x' = (x − mean) / scale. */
  mean: z.array(z.number()),
  scale: z.array(z.number()),
  weights: z.array(z.number()),
  bias: z.number(),
});

const ModelSchema = z.object({
  version: z.literal(1),
  features: z.array(z.string()),
  /** How likely a sentence of an answerable question states its fact: picks the sentence to lead with. */
  ranker: Linear,
  /** Whether the sentence the ranker picked answers the question at all: the features, then the ranker's logit. */
  gate: Linear.extend({
    /** Abstain when the gate's probability is under this; chosen on the development split. */
    threshold: z.number().min(0).max(1),
  }),
  /** The combined gate declines the threshold's answer when the gate's probability for it is under this; chosen on the development split. */
  veto: z.number().min(0).max(1),
  /** A further citation needs the ranker's probability at this share of the first one's, and must pass the gate on its own. */
  extraRatio: z.number().min(0),
  /**
   * The confidence shown with an answer: sigmoid(scale × gate logit + shift), fitted out of fold on
   * whether the answer the gate let through was right (Platt scaling), so that 0.8 means right 8 times
   * in 10 on questions the model never saw. Identity when absent.
   */
  calibration: z.object({ scale: z.number(), shift: z.number() }).default({ scale: 1, shift: 0 }),
  fitted: z.object({ at: z.string(), on: z.array(z.string()), questions: z.number(), examples: z.number() }),
});

export type LinearModel = z.infer<typeof Linear>;
export type AnswerabilityModel = z.infer<typeof ModelSchema>;

/** Check a model against the features this code computes; throws naming what does not fit. */
export function parseModel(json: unknown): AnswerabilityModel {
  const m = ModelSchema.parse(json);
  if (m.features.join(",") !== FEATURES.join(",")) {
    throw new Error(
      `answerability: the model's features (${m.features.join(",")}) are not the ones this code computes (${FEATURES.join(",")}); run npm run fit`,
    );
  }
  for (const [name, part, n] of [
    ["ranker", m.ranker, FEATURES.length],
    ["gate", m.gate, FEATURES.length + GATE_EXTRA],
  ] as const) {
    if (part.weights.length !== n || part.mean.length !== n || part.scale.length !== n)
      throw new Error(`answerability: the ${name} needs one weight, mean and scale per input (${n})`);
  }
  return m;
}

/**
 * Inputs the gate has beyond the features: the ranker's logit. Not its margin over the next sentence:
 * several articles on one story state the same fact, and a small margin there means agreement, not doubt.
 */
export const GATE_EXTRA = 1;

let committed: AnswerabilityModel | undefined;

/** The committed model (`answerability.v1.json`), parsed once. */
export function committedModel(): AnswerabilityModel {
  committed ??= parseModel(fitted);
  return committed;
}

/** The feature vector in the model's order. */
export function featureVector(f: Features): number[] {
  return FEATURES.map((name) => f[name]);
}

/** A linear model's logit for an input vector. */
export function logit(m: LinearModel, x: number[]): number {
  let z = m.bias;
  for (let i = 0; i < x.length; i++) z += m.weights[i]! * ((x[i]! - m.mean[i]!) / m.scale[i]!);
  return z;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The calibrated confidence in an answer whose first sentence has this gate probability (see the model's `calibration`). */
export function calibrated(m: Pick<AnswerabilityModel, "calibration">, gateProbability: number): number {
  const p = Math.min(1 - 1e-12, Math.max(1e-12, gateProbability));
  return sigmoid(m.calibration.scale * Math.log(p / (1 - p)) + m.calibration.shift);
}

/** The gate's input for a sentence: its features and its ranker logit. */
export function gateInput(f: Features, rankerLogit: number): number[] {
  return [...featureVector(f), rankerLogit];
}

/** What the features are computed from, besides the evidence score's parts. */
export interface FeatureInput {
  detail: EvidenceDetail;
  /** Best evidence score of another sentence of the same article (0 when none). */
  bestInArticle: number;
  type: AnswerType;
  /** Lowercased, accent-folded words of the question. */
  questionWords: Set<string>;
  /** The question's names and figures, lowercased and folded. */
  specifics: string[];
  /** Whether a word is a topic of the sentence's article. */
  topical: (word: string) => boolean;
  /** The quoted span, the whole sentence, and the sentence with its paragraph and title (folded, lowercased). */
  span: string;
  sentence: string;
  around: string;
  spokenBy: boolean;
  publisherMismatch: boolean;
  rank: number;
  localCoverage: number;
  attributeCoverage: number;
  attributeMissing: number;
  caption: boolean;
  lede: boolean;
  rulesPass: boolean;
  namesAll: boolean;
  previous: number;
  articleCoverage: number;
  titleCoverage: number;
  /** Rank of the article among the retrieved ones, 0 first. */
  articleRank: number;
}

export function computeFeatures(x: FeatureInput): Features {
  const typed = x.type.kind !== "other";
  const inSentence = typed ? findAnswerType(x.type, x.sentence, x.questionWords) : undefined;
  const inSpan = typed ? findAnswerType(x.type, x.span, x.questionWords) : undefined;
  const value = inSentence ? x.sentence.slice(inSentence.start, inSentence.end) : "";
  const lower = x.sentence.toLowerCase();
  // A name the article's topic carries ("Armenia" in a story about Armenia) need not be repeated near the answer.
  const missing = (text: string) => (x.specifics.length === 0 ? 0 : x.specifics.filter((w) => !hasWord(text, w) && !x.topical(w)).length / x.specifics.length);
  return {
    heuristic: x.detail.score,
    margin: x.detail.score - x.bestInArticle,
    spanCoverage: x.detail.spanCoverage,
    contextCoverage: x.detail.contextCoverage,
    exactCoverage: x.detail.exactCoverage,
    neighbourOnly: x.detail.neighbourOnly,
    missingRare: x.detail.missingRare,
    missingRareSpan: x.detail.missingRareSpan,
    foreign: Math.min(3, x.detail.foreign),
    doubt: Math.min(3, x.detail.doubt),
    semantic: x.detail.semantic,
    typeWanted: typed ? 1 : 0,
    figureWanted: FIGURE_KINDS.has(x.type.kind) ? 1 : 0,
    typeInSentence: inSentence ? 1 : 0,
    typeInSpan: inSpan ? 1 : 0,
    typeNew: inSentence && !echoed(value, x.questionWords) ? 1 : 0,
    tenseMismatch: x.detail.tenseMismatch ? 1 : 0,
    unitMismatch: inSentence && !unitMatches(x.type, x.sentence) ? 1 : 0,
    specificsMissing: missing(x.around),
    specificsMissingSpan: missing(lower),
    disclaims: disclaimsKind("any", x.sentence) ? 1 : 0,
    spoken: x.spokenBy ? 1 : 0,
    publisherMismatch: x.publisherMismatch ? 1 : 0,
    novelty: x.detail.novelty,
    rank: 1 / (1 + x.rank),
    attributeCoverage: x.attributeCoverage,
    attributeMissing: x.attributeMissing,
    localCoverage: x.localCoverage,
    caption: x.caption ? 1 : 0,
    lede: x.lede ? 1 : 0,
    rulesPass: x.rulesPass ? 1 : 0,
    namesAll: x.namesAll ? 1 : 0,
    previous: x.previous,
    articleCoverage: x.articleCoverage,
    titleCoverage: x.titleCoverage,
    articleRank: 1 / (1 + x.articleRank),
  };
}

/** Every word and figure of a typed value is already in the question: the sentence repeats what was asked. */
function echoed(value: string, questionWords: Set<string>): boolean {
  const words = value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const telling = words.filter((w) => /\d/.test(w) || w.length > 3);
  return telling.length > 0 && telling.every((w) => questionWords.has(w));
}
