import { calibrated, featureVector, gateInput, logit, sigmoid, type AnswerabilityModel, type Features } from "./answerability.js";

/**
 * The gates: which of the scored sentences an answer cites, or none. The extractive answerer decides with
 * them, and `npm run fit` replays them on traced questions to choose the model's threshold and veto.
 */

/**
 * The gates' tuned numbers. The pools were set when the answerability model came (122d974, the wide one
 * with the leave-one-group-out fit, d822433); the shares for further citations were chosen by hand with
 * the evidence score on the team's question set (`npm run eval`, 48bd0aa). The model's own threshold,
 * veto and bar for further citations are fitted (`answerability.v1.json`).
 */
export interface GateSettings {
  /** Sentences that may answer, best evidence score first, whose features are worked out for the combined gate's model (it checks the first). */
  pool: number;
  /**
   * Sentences, best evidence score first, that the fitted gate's model chooses among and fitting traces:
   * every retrieved one, not only those the hand rules let through (whether they do is a feature), as far as this many.
   */
  widePool: number;
  /** The threshold gate adds a further sentence of another article at this share of the first one's score… */
  extraOtherArticle: number;
  /** …and of the same article at this share. */
  extraSameArticle: number;
}

export const GATE_SETTINGS: GateSettings = { pool: 10, widePool: 24, extraOtherArticle: 0.7, extraSameArticle: 0.8 };

/** What the gates read of a scored sentence. */
export interface GateCandidate {
  /** Its evidence score. */
  score: number;
  article: { id: string };
  sentence: { id: string };
  /** Where its attributed span starts: sentences of one span are one quote. */
  attribution: { start: number };
  /** The answerability model's features; set on the sentences it reads. */
  features?: Features;
  /** The model's gate probability; set on the sentences it checked. */
  p?: number;
}

/** What a gate chose: the sentences to cite, best first, the confidence in the first, and when it chose none, the one that came closest. */
export interface Choice<C> {
  chosen: C[];
  confidence: number;
  closest?: C;
}

/**
 * The previous behaviour: the best evidence score against a threshold, further sentences near it.
 * `candidates` are the sentences that may answer (statesAskedKind and saysMoreThanTopic), best score first.
 */
export function chooseByThreshold<C extends GateCandidate>(threshold: number, candidates: Iterable<C>, maxCitations: number, preferred?: string[]): C[] {
  const chosen: C[] = [];
  const spans = new Set<string>();
  for (const c of candidates) {
    const best = chosen[0];
    if (!best) {
      if (c.score < threshold) return [];
      chosen.push(c);
      spans.add(`${c.article.id}:${c.attribution.start}`);
      continue;
    }
    // Scores only fall from here: one under the lowest floor below (another article's) ends the search.
    if (chosen.length >= maxCitations || c.score < Math.max(threshold, best.score * GATE_SETTINGS.extraOtherArticle)) break;
    const otherArticle = !chosen.some((x) => x.article.id === c.article.id);
    // In a follow-up, another article than the conversation's must be as strong as the first to be added.
    const outside = preferred !== undefined && preferred.length > 0 && !preferred.includes(c.article.id);
    const floor = outside ? best.score : Math.max(threshold, best.score * (otherArticle ? GATE_SETTINGS.extraOtherArticle : GATE_SETTINGS.extraSameArticle));
    const key = `${c.article.id}:${c.attribution.start}`;
    if (c.score < floor || spans.has(key)) continue;
    spans.add(key);
    chosen.push(c);
  }
  return chosen;
}

/** The parts of the model the combined gate reads. */
export type VetoModel = Pick<AnswerabilityModel, "ranker" | "gate" | "veto" | "calibration">;

/** The combined gate: the threshold's choice, unless the model is sure its first sentence does not answer. */
export function vetoed<C extends GateCandidate>(model: VetoModel | undefined, chosen: C[], score: number): Choice<C> {
  const best = chosen[0];
  if (!model || !best?.features) return { chosen, confidence: score };
  best.p = sigmoid(logit(model.gate, gateInput(best.features, logit(model.ranker, featureVector(best.features)))));
  return best.p < model.veto ? { chosen: [], confidence: best.p, closest: best } : { chosen, confidence: calibrated(model, best.p) };
}

/**
 * The fitted model's choice: the ranker scores each of the best-scored sentences, the likeliest leads,
 * and the gate decides whether it answers at all. A further sentence is added only when the ranker
 * puts it close to the first and it passes the gate on its own.
 */
export function chooseFitted<C extends GateCandidate>(model: AnswerabilityModel, pool: C[], maxCitations: number): Choice<C> {
  const order = pool.map((c) => ({ c, z: logit(model.ranker, featureVector(c.features!)) })).sort((a, b) => b.z - a.z);
  return fittedChoice(order, (k) => sigmoid(logit(model.gate, gateInput(order[k]!.c.features!, order[k]!.z))), model, maxCitations);
}

/** The parts of the model {@link fittedChoice} reads besides the logits. */
export type FittedChoiceModel = Pick<AnswerabilityModel, "extraRatio" | "calibration"> & { gate: { threshold: number } };

/**
 * {@link chooseFitted} once the sentences are in the ranker's order, each with its ranker logit `z`;
 * `gate(k)` is the gate's probability for the `k`th. Fitting calls it with logits it keeps.
 */
export function fittedChoice<C extends GateCandidate>(
  order: Array<{ c: C; z: number }>,
  gate: (k: number) => number,
  model: FittedChoiceModel,
  maxCitations: number,
): Choice<C> {
  const best = order[0]?.c;
  if (!best) return { chosen: [], confidence: 0 };
  best.p = gate(0);
  if (best.p < model.gate.threshold) return { chosen: [], confidence: best.p, closest: best };
  const chosen = [best];
  const seen = new Set([best.sentence.id]);
  const first = sigmoid(order[0]!.z);
  for (let k = 1; k < order.length; k++) {
    if (chosen.length >= maxCitations) break;
    const { c, z } = order[k]!;
    if (seen.has(c.sentence.id) || sigmoid(z) < first * model.extraRatio) continue;
    c.p = gate(k);
    if (c.p < model.gate.threshold) continue;
    seen.add(c.sentence.id);
    chosen.push(c);
  }
  return { chosen, confidence: calibrated(model, best.p) };
}
