import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import LogisticRegression from "ml-logistic-regression";
import { Matrix } from "ml-matrix";
import { tracing, type EvidenceTrace } from "../src/answer/answerer.js";
import { FEATURES, featureVector, gateInput, logit, parseModel, sigmoid, type AnswerabilityModel, type Features, type LinearModel } from "../src/answer/answerability.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { EVAL_SETS, type SetQuestion } from "./eval-sets.js";

/**
 * `npm run fit`: fit the answerability model on the development split only (the `dev` sets of
 * `EVAL_SETS`; never a held-out file), choose its abstention threshold and the bar for further
 * citations on the same split, and write `src/answer/answerability.v1.json`.
 *
 * Every sentence the answerer considers for a question is one example: 1 when it holds an expected
 * fact of the question, 0 otherwise (every sentence of an unanswerable question is 0). The threshold
 * is chosen with 5-fold cross-validation over questions, so it is set on probabilities of questions
 * the weights were not fitted on, as at run time.
 */

/** Gradient steps of the logistic regression, and the step size per example (features are standardised first). */
const STEPS = 4000;
const STEP_SIZE = 0.5;
const FOLDS = 5;
/** Pairs (right sentence, wrong sentence) the ranker learns from per question, at most. */
const PAIRS_PER_QUESTION = 12;
/**
 * Choosing the threshold: the share of answerable questions answered right (with the fact in some
 * citation) plus the share of unanswerable ones declined (each kind counts the same however many there
 * are), less this much per further citation without the fact, as a share of answers.
 */
const PADDING_COST = 0.1;
/** …and the share answered with the fact in the first citation counts this much again. */
const FIRST_WEIGHT = 0.5;

interface Traced {
  q: SetQuestion;
  candidates: EvidenceTrace[];
}

const root = path.resolve(import.meta.dirname, "..");
/** The evidence-score threshold the combined gate uses: the configured default. */
const ANSWER_THRESHOLD = loadConfig({}).ANSWER_THRESHOLD;

function label(q: SetQuestion, c: EvidenceTrace): number {
  return q.answerable && q.articleIds.includes(c.articleId) && q.facts.some((f) => c.quote.includes(f)) ? 1 : 0;
}

async function trace(): Promise<Traced[]> {
  const traced: Traced[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), "newsbot-fit-"));
  try {
    for (const set of EVAL_SETS.filter((s) => s.split === "dev")) {
      const questions = JSON.parse(readFileSync(path.join(root, set.file), "utf8")) as SetQuestion[];
      let last: EvidenceTrace[] = [];
      const config = loadConfig({ ...process.env, CORPUS_DIR: path.join(root, set.corpus), DATA_DIR: path.join(tmp, set.file.replace(/\W/g, "_")), CACHE_DIR: path.join(root, ".data/cache"), LOG_LEVEL: "warn", LLM_PROVIDER: "none", ANSWER_GATE: "threshold" });
      const service = await openAnswerService(config, { log: createLogger({ level: "warn" }), answerer: (inner) => tracing(inner, (t) => (last = t)) });
      try {
        for (const q of questions) {
          last = [];
          await service.ask(q.question);
          traced.push({ q, candidates: last.filter((c) => c.features) });
        }
      } finally {
        await service.close();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return traced;
}

/** Logistic regression over standardised inputs, with a bias column. */
/** Each column's mean and standard deviation (1 where it is constant). */
function standardisation(x: number[][]): { mean: number[]; scale: number[] } {
  const width = x[0]?.length ?? 0;
  const mean = Array.from({ length: width }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / Math.max(1, x.length));
  const scale = Array.from({ length: width }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / Math.max(1, x.length)) || 1);
  return { mean, scale };
}

function fitLinear(x: number[][], labels: number[], opts: { standardise?: boolean } = {}): LinearModel {
  const width = x[0]?.length ?? 0;
  const { mean, scale } = opts.standardise === false ? { mean: new Array<number>(width).fill(0), scale: new Array<number>(width).fill(1) } : standardisation(x);
  const z = x.map((r) => [1, ...r.map((v, j) => (v - mean[j]!) / scale[j]!)]);
  const lr = new LogisticRegression({ numSteps: STEPS, learningRate: STEP_SIZE / Math.max(1, x.length) });
  lr.train(new Matrix(z), Matrix.columnVector(labels));
  // Classes are one-vs-all; the classifier of class 0 scores "not 0", i.e. the probability of label 1.
  const json = JSON.parse(JSON.stringify(lr.toJSON())) as { classifiers: Array<{ weights: number[][] | { data: number[][] } }> };
  const w0 = json.classifiers[0]!.weights;
  const w = (Array.isArray(w0) ? w0 : w0.data)[0]!;
  return { mean, scale, weights: w.slice(1), bias: w[0]! };
}

/**
 * The ranker learns from answerable questions only, pairwise: for each sentence that states the fact
 * and each that does not, which one to put first (a logistic regression on feature differences).
 */
function fitRanker(ts: Traced[]): LinearModel {
  const mine = ts.filter((t) => t.q.answerable && t.candidates.some((c) => label(t.q, c) === 1));
  const { mean, scale } = standardisation(mine.flatMap((t) => t.candidates.map((c) => featureVector(c.features as Features))));
  const std = (c: EvidenceTrace) => featureVector(c.features as Features).map((v, j) => (v - mean[j]!) / scale[j]!);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const t of mine) {
    const pos = t.candidates.filter((c) => label(t.q, c) === 1).map(std);
    const neg = t.candidates.filter((c) => label(t.q, c) === 0).map(std);
    // Each question counts the same, however many pairs it has.
    const keep = Math.max(1, Math.floor((pos.length * neg.length) / PAIRS_PER_QUESTION));
    let k = 0;
    for (const p of pos) {
      for (const n of neg) {
        if (k++ % keep !== 0) continue;
        const d = p.map((v, j) => v - n[j]!);
        rows.push(d, d.map((v) => -v));
        labels.push(1, 0);
      }
    }
  }
  const fitted = fitLinear(rows, labels, { standardise: false });
  return { mean, scale, weights: fitted.weights, bias: 0 };
}

/** A question's sentences in the ranker's order, with logits. */
function ranked(ranker: LinearModel, t: Traced): Array<{ c: EvidenceTrace; z: number }> {
  return t.candidates.map((c) => ({ c, z: logit(ranker, featureVector(c.features as Features)) })).sort((a, b) => b.z - a.z);
}

/** The gate's input for a sentence of a ranked list (see chooseFitted). */
function gateRow(order: Array<{ c: EvidenceTrace; z: number }>, k: number): number[] {
  const me = order[k]!;
  return gateInput(me.c.features as Features, me.z);
}

/** The gate learns from every question's top-ranked sentence: does it answer? */
function fitGate(ts: Traced[], rankers: (t: Traced) => LinearModel): LinearModel {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const t of ts) {
    const order = ranked(rankers(t), t);
    if (order.length === 0) continue;
    rows.push(gateRow(order, 0));
    labels.push(label(t.q, order[0]!.c));
  }
  return fitLinear(rows, labels);
}

interface Outcome {
  /** Answered with the fact in some citation, and in the first. */
  right: number;
  firstRight: number;
  declined: number;
  falseAnswers: number;
  padding: number;
  answerable: number;
  unanswerable: number;
}

/** Replay the answerer's choice (see chooseFitted) on traced questions. */
function simulate(ts: Traced[], rankers: (t: Traced) => LinearModel, gate: LinearModel, threshold: number, extraRatio: number, maxCitations = 3): Outcome {
  const o: Outcome = { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
  for (const t of ts) {
    if (t.q.answerable) o.answerable++;
    else o.unanswerable++;
    const order = ranked(rankers(t), t);
    if (order.length === 0 || sigmoid(logit(gate, gateRow(order, 0))) < threshold) {
      if (!t.q.answerable) o.declined++;
      continue;
    }
    const chosen = [order[0]!.c];
    const first = sigmoid(order[0]!.z);
    for (let k = 1; k < order.length && chosen.length < maxCitations; k++) {
      const { c, z } = order[k]!;
      if (chosen.some((x) => x.sentenceId === c.sentenceId) || sigmoid(z) < first * extraRatio) continue;
      if (sigmoid(logit(gate, gateRow(order, k))) < threshold) continue;
      chosen.push(c);
    }
    if (label(t.q, chosen[0]!) === 1) o.firstRight++;
    if (chosen.some((c) => label(t.q, c) === 1)) o.right++;
    else o.falseAnswers++;
    o.padding += chosen.slice(1).filter((c) => label(t.q, c) === 0).length;
  }
  return o;
}

/**
 * Replay the combined gate (see `vetoed`): the threshold's choice — the best evidence score among
 * sentences that state the asked kind of fact, further ones near it — declined when the gate's
 * probability for its first sentence is under `veto`.
 */
function simulateCombined(ts: Traced[], rankers: (t: Traced) => LinearModel, gate: LinearModel, veto: number): Outcome {
  const o: Outcome = { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
  for (const t of ts) {
    if (t.q.answerable) o.answerable++;
    else o.unanswerable++;
    const f = (c: EvidenceTrace) => c.features as Features;
    // The traced sentences are those the answerer found may answer at all, as the threshold reads them.
    const typed = [...t.candidates].sort((a, b) => b.score - a.score);
    const best = typed[0];
    const p = best && sigmoid(logit(gate, gateInput(f(best), logit(rankers(t), featureVector(f(best))))));
    if (!best || best.score < ANSWER_THRESHOLD || p! < veto) {
      if (!t.q.answerable) o.declined++;
      continue;
    }
    const chosen = [best];
    for (const c of typed.slice(1)) {
      if (chosen.length >= 3) break;
      const other = !chosen.some((x) => x.articleId === c.articleId);
      if (c.score < Math.max(ANSWER_THRESHOLD, best.score * (other ? 0.7 : 0.8)) || chosen.some((x) => x.sentenceId === c.sentenceId)) continue;
      chosen.push(c);
    }
    if (label(t.q, best) === 1) o.firstRight++;
    if (chosen.some((c) => label(t.q, c) === 1)) o.right++;
    else o.falseAnswers++;
    o.padding += chosen.slice(1).filter((c) => label(t.q, c) === 0).length;
  }
  return o;
}

function objective(o: Outcome): number {
  return (o.right + FIRST_WEIGHT * o.firstRight) / Math.max(1, o.answerable) + o.declined / Math.max(1, o.unanswerable) - (PADDING_COST * o.padding) / Math.max(1, o.right + o.falseAnswers);
}

const traced = await trace();
// `--traces <file>`: keep every considered sentence with its features and label, for diagnosis.
const tracesAt = process.argv.indexOf("--traces");
if (tracesAt > 0 && process.argv[tracesAt + 1]) {
  writeFileSync(process.argv[tracesAt + 1]!, JSON.stringify(traced.map((t) => ({ q: t.q, candidates: t.candidates.map((c) => ({ ...c, label: label(t.q, c) })) }))));
}

// Out of fold: each question's ranker and gate were fitted without it (nor its article), as at run time.
// Folds by article, so that no question is judged by weights fitted on questions about the same article.
const articleFold = new Map([...new Set(traced.map((t) => t.q.articleIds[0] ?? ""))].sort().map((id, i) => [id, i % FOLDS]));
const foldOf = new Map(traced.map((t) => [t, articleFold.get(t.q.articleIds[0] ?? "")!]));
const foldRankers = Array.from({ length: FOLDS }, (_, k) => fitRanker(traced.filter((t) => foldOf.get(t) !== k)));
const oofRanker = (t: Traced) => foldRankers[foldOf.get(t)!]!;
const foldGates = Array.from({ length: FOLDS }, (_, k) => fitGate(traced.filter((t) => foldOf.get(t) !== k), oofRanker));
/** Out-of-fold replay: each question through the ranker and gate of the folds it was not in. */
function simulateOof(threshold: number, extraRatio: number): Outcome {
  const total: Outcome = { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
  for (let k = 0; k < FOLDS; k++) {
    const o = simulate(traced.filter((t) => foldOf.get(t) === k), oofRanker, foldGates[k]!, threshold, extraRatio);
    for (const key of Object.keys(total) as Array<keyof Outcome>) total[key] += o[key];
  }
  return total;
}
let best = { threshold: 0.5, extraRatio: 1, score: -Infinity };
for (let t = 0.05; t <= 0.951; t += 0.01) {
  for (const r of [0.3, 0.5, 0.7, 0.9, 1.01]) {
    const o = simulateOof(t, r);
    const score = objective(o);
    if (score > best.score + 1e-9) best = { threshold: Math.round(t * 100) / 100, extraRatio: r, score };
  }
}
function combinedOof(veto: number): Outcome {
  const total: Outcome = { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
  for (let k = 0; k < FOLDS; k++) {
    const o = simulateCombined(traced.filter((t) => foldOf.get(t) === k), oofRanker, foldGates[k]!, veto);
    for (const key of Object.keys(total) as Array<keyof Outcome>) total[key] += o[key];
  }
  return total;
}
let bestVeto = { veto: 0, score: -Infinity };
for (let v = 0; v <= 0.601; v += 0.02) {
  const score = objective(combinedOof(v));
  if (score > bestVeto.score + 1e-9) bestVeto = { veto: Math.round(v * 100) / 100, score };
}
const ranker = fitRanker(traced);
const gate = fitGate(traced, () => ranker);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const rounded = (m: LinearModel): LinearModel => ({ mean: m.mean.map(round6), scale: m.scale.map(round6), weights: m.weights.map(round6), bias: round6(m.bias) });
const model: AnswerabilityModel = parseModel({
  version: 1,
  features: [...FEATURES],
  ranker: rounded(ranker),
  gate: { ...rounded(gate), threshold: best.threshold },
  veto: bestVeto.veto,
  extraRatio: best.extraRatio,
  fitted: {
    at: new Date().toISOString(),
    on: EVAL_SETS.filter((s) => s.split === "dev").map((s) => s.file),
    questions: traced.length,
    examples: traced.reduce((n, t) => n + t.candidates.length, 0),
  },
});
const file = path.join(root, "src/answer/answerability.v1.json");
writeFileSync(file, `${JSON.stringify(model, null, 1)}\n`);
const cv = simulateOof(model.gate.threshold, model.extraRatio);
const never = simulateOof(0, 2);
const reachable = traced.filter((t) => t.q.answerable && t.candidates.some((c) => label(t.q, c) === 1)).length;
const weights = (names: string[], m: LinearModel) => names.map((f, i) => `  ${f.padEnd(22)} ${m.weights[i]!.toFixed(3)}`).join("\n") + `\n  ${"bias".padEnd(22)} ${m.bias.toFixed(3)}`;
process.stdout.write(
  `fitted on ${traced.length} dev questions, ${model.fitted.examples} sentences\n` +
    `a sentence with the fact among those considered: ${reachable}/${cv.answerable}\n` +
    `dev, out of fold, never declining: right first ${never.firstRight}/${never.answerable}\n` +
    `dev, out of fold, objective (share right + share declined − ${PADDING_COST} × padding share): ${best.score.toFixed(3)}\n` +
    `dev, out of fold, by gate threshold (right first / declined): ${[0.3, 0.4, 0.5, 0.6, 0.7].map((t) => { const o = simulateOof(t, 2); return `${t}: ${o.firstRight}/${o.declined}`; }).join(", ")}\n` +
    `dev, out of fold, gate at ${model.gate.threshold}, further citations at ≥ ${model.extraRatio} of the first: ` +
    `right ${cv.right}/${cv.answerable}, right first ${cv.firstRight}/${cv.answerable}, declined ${cv.declined}/${cv.unanswerable}, false answers ${cv.falseAnswers}, citations without the fact ${cv.padding}\n` +
    `dev, out of fold, combined gate (threshold ${ANSWER_THRESHOLD} on the evidence score, vetoed under ${model.veto}): ${(() => { const o = combinedOof(model.veto); return `right ${o.right}/${o.answerable}, right first ${o.firstRight}/${o.answerable}, declined ${o.declined}/${o.unanswerable}, false answers ${o.falseAnswers}`; })()}; with no veto: ${(() => { const o = combinedOof(0); return `right ${o.right}, declined ${o.declined}`; })()}\n` +
    `ranker\n${weights([...FEATURES], model.ranker)}\ngate\n${weights([...FEATURES, "rankerLogit"], model.gate)}\nwrote ${path.relative(process.cwd(), file)}\n`,
);
