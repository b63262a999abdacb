import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Matrix, solve } from "ml-matrix";
import { tracing, type EvidenceTrace } from "../src/answer/answerer.js";
import {
  FEATURES,
  featureVector,
  gateInput,
  logit,
  parseModel,
  sigmoid,
  type AnswerabilityModel,
  type Features,
  type LinearModel,
} from "../src/answer/answerability.js";
import { chooseByThreshold, fittedChoice, vetoed, type GateCandidate } from "../src/answer/gates.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { LOGO_MODELS } from "./eval-news.js";
import { EVAL_SETS, type SetQuestion } from "./eval-sets.js";
import { importNewsDev, loadNewsDev, meetsExpect, type NewsQuestion } from "./news-dev.js";

/**
 * `npm run fit`: fit the answerability model on the development split only (the `dev` sets of
 * `EVAL_SETS`, never a held-out file, and the questions of `../shared/news-dev` when it is there),
 * choose its abstention threshold and the bar for further citations on the same data, and write
 * `src/answer/answerability.v1.json`. With news-dev, each of its groups is also left out once: the
 * model fitted without it is written to `bench/results/news-dev-models/<group>.json` (what
 * `npm run eval:news` answers that group with), its replayed figures are printed, and so is a
 * learning curve (out-of-group figures at 25%, 50% and 100% of the training articles).
 *
 * Every sentence the answerer considers for a question is one example: 1 when it holds an expected
 * fact of the question, 0 otherwise (every sentence of an unanswerable question is 0). The threshold
 * is chosen with 5-fold cross-validation over questions, so it is set on probabilities of questions
 * the weights were not fitted on, as at run time.
 */

/** Folds by article when there are too few groups of questions to fold by group. */
const ARTICLE_FOLDS = 5;
const MIN_GROUP_FOLDS = 3;
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

/** One question the answerer was asked for fitting, with the sentences it considered and their labels. */
interface Traced {
  /** "team" for the project's own dev sets, else the news-dev group. */
  group: string;
  /** The article the question is about: folds never split one. */
  article: string;
  answerable: boolean;
  candidates: EvidenceTrace[];
  /** Per candidate: 1 when it states the question's fact. */
  labels: number[];
}

const root = path.resolve(import.meta.dirname, "..");
/** The evidence-score threshold the combined gate uses and the most citations of an answer: the configured defaults. */
const { ANSWER_THRESHOLD, ANSWER_MAX_CITATIONS } = loadConfig({});

/** A team-set sentence answers when it is of the question's article and holds an expected fact. */
function teamLabel(q: SetQuestion, c: EvidenceTrace): number {
  return q.answerable && q.articleIds.includes(c.articleId) && q.facts.some((f) => c.quote.includes(f)) ? 1 : 0;
}

/** A news-dev sentence answers when it, with whom it credits, holds every expected part (the set's README). */
function newsLabel(q: NewsQuestion, c: EvidenceTrace): number {
  return q.answerable && meetsExpect(q.expect, `${c.source}: ${c.quote}`) ? 1 : 0;
}

/** A traced sentence's label (by identity within its question). */
function labelOf(t: Traced, c: EvidenceTrace): number {
  return t.labels[t.candidates.indexOf(c)] ?? 0;
}

/** A traced sentence as the answerer's gates (src/answer/gates.ts) read it. */
type Gated = GateCandidate & { trace: EvidenceTrace };
const gatedCache = new WeakMap<EvidenceTrace, Gated>();

function gated(c: EvidenceTrace): Gated {
  let g = gatedCache.get(c);
  if (!g) {
    g = {
      score: c.score,
      article: { id: c.articleId },
      sentence: { id: c.sentenceId },
      attribution: { start: c.spanStart },
      features: c.features as Features,
      trace: c,
    };
    gatedCache.set(c, g);
  }
  return g;
}

/** Ask every question of one corpus through the answerer, keeping what it considered. */
async function traceCorpus(corpusDir: string, dataDir: string, questions: string[]): Promise<EvidenceTrace[][]> {
  let last: EvidenceTrace[] = [];
  const config = loadConfig({
    ...process.env,
    CORPUS_DIR: corpusDir,
    DATA_DIR: dataDir,
    CACHE_DIR: path.join(root, ".data/cache"),
    LOG_LEVEL: "warn",
    LLM_PROVIDER: "none",
    ANSWER_GATE: "threshold",
  });
  const service = await openAnswerService(config, { log: createLogger({ level: "warn" }), answerer: (inner) => tracing(inner, (t) => (last = t)) });
  const out: EvidenceTrace[][] = [];
  try {
    for (const q of questions) {
      last = [];
      await service.ask(q);
      out.push(last.filter((c) => c.features));
    }
  } finally {
    await service.close();
  }
  return out;
}

async function trace(): Promise<Traced[]> {
  const traced: Traced[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), "newsbot-fit-"));
  try {
    for (const set of EVAL_SETS.filter((s) => s.split === "dev")) {
      const questions = JSON.parse(readFileSync(path.join(root, set.file), "utf8")) as SetQuestion[];
      const traces = await traceCorpus(
        path.join(root, set.corpus),
        path.join(tmp, set.file.replace(/\W/g, "_")),
        questions.map((q) => q.question),
      );
      questions.forEach((q, i) => {
        const candidates = traces[i]!;
        traced.push({ group: "team", article: q.articleIds[0] ?? "", answerable: q.answerable, candidates, labels: candidates.map((c) => teamLabel(q, c)) });
      });
    }
    const news = loadNewsDev();
    if ("missing" in news) {
      process.stderr.write(`${news.missing}; fitting on the team's dev sets alone\n`);
    } else {
      const corpusDir = path.join(tmp, "news-dev-corpus");
      await importNewsDev(news, corpusDir);
      const traces = await traceCorpus(
        corpusDir,
        path.join(tmp, "news-dev-data"),
        news.questions.map((q) => q.q),
      );
      news.questions.forEach((q, i) => {
        const candidates = traces[i]!;
        traced.push({ group: q.group, article: q.article, answerable: q.answerable, candidates, labels: candidates.map((c) => newsLabel(q, c)) });
      });
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
  const w = newtonLogistic(z, labels);
  return { mean, scale, weights: w.slice(1), bias: w[0]! };
}

/** Newton steps of the logistic regression: it converges in a handful, to this change in any weight. */
const NEWTON_STEPS = 25;
const NEWTON_TOLERANCE = 1e-4;
/** L2 penalty on the (standardised) weights, not the bias: keeps collinear features finite. */
const RIDGE = 1;
/** …and on the calibration's slope, which has one input and hundreds of answers. */
const CALIBRATION_RIDGE = 0.01;

/**
 * Maximum-likelihood logistic regression with a small L2 penalty, by Newton's method (iteratively
 * reweighted least squares); column 0 of `z` is the bias. Exact where gradient descent stops at a
 * fixed step count, and far faster on tens of thousands of rows.
 */
function newtonLogistic(z: number[][], labels: number[], ridge = RIDGE): number[] {
  const d = z[0]?.length ?? 0;
  const w = new Array<number>(d).fill(0);
  for (let step = 0; step < NEWTON_STEPS; step++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < z.length; i++) {
      const row = z[i]!;
      let t = 0;
      for (let j = 0; j < d; j++) t += w[j]! * row[j]!;
      const p = 1 / (1 + Math.exp(-t));
      const r = labels[i]! - p;
      const v = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        grad[j]! += r * row[j]!;
        const vj = v * row[j]!;
        const hj = hess[j]!;
        for (let k = j; k < d; k++) hj[k]! += vj * row[k]!;
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) hess[j]![k] = hess[k]![j]!;
      if (j > 0) {
        grad[j]! -= ridge * w[j]!;
        hess[j]![j]! += ridge;
      }
    }
    const delta = solve(new Matrix(hess), Matrix.columnVector(grad)).to1DArray();
    let change = 0;
    for (let j = 0; j < d; j++) {
      w[j]! += delta[j]!;
      change = Math.max(change, Math.abs(delta[j]!));
    }
    if (change < NEWTON_TOLERANCE) break;
  }
  return w;
}

/**
 * The ranker learns from answerable questions only, pairwise: for each sentence that states the fact
 * and each that does not, which one to put first (a logistic regression on feature differences).
 */
function fitRanker(ts: Traced[]): LinearModel {
  const mine = ts.filter((t) => t.answerable && t.labels.includes(1));
  const { mean, scale } = standardisation(mine.flatMap((t) => t.candidates.map((c) => featureVector(c.features as Features))));
  const std = (c: EvidenceTrace) => featureVector(c.features as Features).map((v, j) => (v - mean[j]!) / scale[j]!);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const t of mine) {
    const pos = t.candidates.filter((_, i) => t.labels[i] === 1).map(std);
    const neg = t.candidates.filter((_, i) => t.labels[i] === 0).map(std);
    // Each question counts the same, however many pairs it has.
    const keep = Math.max(1, Math.floor((pos.length * neg.length) / PAIRS_PER_QUESTION));
    let k = 0;
    for (const p of pos) {
      for (const n of neg) {
        if (k++ % keep !== 0) continue;
        const d = p.map((v, j) => v - n[j]!);
        rows.push(
          d,
          d.map((v) => -v),
        );
        labels.push(1, 0);
      }
    }
  }
  const fitted = fitLinear(rows, labels, { standardise: false });
  return { mean, scale, weights: fitted.weights, bias: 0 };
}

type Ranked = Array<{ c: Gated; z: number }>;
/** Orders already worked out, per ranker and question: the threshold search replays each hundreds of times. */
const rankedCache = new WeakMap<LinearModel, WeakMap<Traced, Ranked>>();

/** A question's sentences in the ranker's order, with logits. */
function ranked(ranker: LinearModel, t: Traced): Ranked {
  let byQuestion = rankedCache.get(ranker);
  if (!byQuestion) rankedCache.set(ranker, (byQuestion = new WeakMap()));
  let order = byQuestion.get(t);
  if (!order) {
    order = t.candidates.map((c) => ({ c: gated(c), z: logit(ranker, featureVector(c.features as Features)) })).sort((a, b) => b.z - a.z);
    byQuestion.set(t, order);
  }
  return order;
}

const gateCache = new WeakMap<LinearModel, WeakMap<Ranked, number[]>>();

/** The gate's logit for each sentence of a ranked list, worked out once per gate and list. */
function gateLogits(gate: LinearModel, order: Ranked): number[] {
  let byOrder = gateCache.get(gate);
  if (!byOrder) gateCache.set(gate, (byOrder = new WeakMap()));
  let z = byOrder.get(order);
  if (!z) {
    z = order.map((_, k) => logit(gate, gateRow(order, k)));
    byOrder.set(order, z);
  }
  return z;
}

/** The gate's input for a sentence of a ranked list (see chooseFitted). */
function gateRow(order: Ranked, k: number): number[] {
  const me = order[k]!;
  return gateInput(me.c.features!, me.z);
}

/** The gate learns from every question's top-ranked sentence: does it answer? */
function fitGate(ts: Traced[], rankers: (t: Traced) => LinearModel): LinearModel {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const t of ts) {
    const order = ranked(rankers(t), t);
    if (order.length === 0) continue;
    rows.push(gateRow(order, 0));
    labels.push(labelOf(t, order[0]!.c.trace));
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

/** Replay the fitted gate (`chooseFitted` in src/answer/gates.ts) on traced questions, with the ranker and gate logits worked out once. */
function simulate(
  ts: Traced[],
  rankers: (t: Traced) => LinearModel,
  gate: LinearModel,
  threshold: number,
  extraRatio: number,
  shown?: Shown[],
  maxCitations = ANSWER_MAX_CITATIONS,
): Outcome {
  const o: Outcome = { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
  const model = { gate: { threshold }, extraRatio, calibration: { scale: 1, shift: 0 } };
  for (const t of ts) {
    if (t.answerable) o.answerable++;
    else o.unanswerable++;
    const order = ranked(rankers(t), t);
    const gz = gateLogits(gate, order);
    const chosen = fittedChoice(order, (k) => sigmoid(gz[k]!), model, maxCitations).chosen.map((c) => c.trace);
    if (chosen.length === 0) {
      if (!t.answerable) o.declined++;
      continue;
    }
    if (labelOf(t, chosen[0]!) === 1) o.firstRight++;
    const right = chosen.some((c) => labelOf(t, c) === 1);
    if (right) o.right++;
    else o.falseAnswers++;
    o.padding += chosen.slice(1).filter((c) => labelOf(t, c) === 0).length;
    shown?.push({ z: gz[0]!, right, group: t.group });
  }
  return o;
}

/** An answer the replay showed: its gate logit, whether it was right, and its question's group. */
interface Shown {
  z: number;
  right: boolean;
  group: string;
}

/** Fewest answers a calibration is fitted on. */
const MIN_CALIBRATION = 50;

/**
 * Platt scaling: the confidence sigmoid(scale × z + shift) that best fits whether answers with gate
 * logit z were right. Fitted on out-of-fold answers, so it corrects a gate that is surer of itself
 * than it has reason to be on questions it never saw.
 */
function fitCalibration(all: Shown[]): { scale: number; shift: number } {
  // Real news when there is some: the team's own articles were written to be answered, and a confidence
  // learnt on them promises too much on a new owner's news.
  const news = all.filter((s) => s.group !== "team");
  const shown = news.length >= MIN_CALIBRATION ? news : all;
  if (shown.length < MIN_CALIBRATION) return { scale: 1, shift: 0 };
  const [shift, scale] = newtonLogistic(
    shown.map((s) => [1, s.z]),
    shown.map((s) => (s.right ? 1 : 0)),
    CALIBRATION_RIDGE,
  );
  return { scale: Math.round(scale! * 1e6) / 1e6, shift: Math.round(shift! * 1e6) / 1e6 };
}

/**
 * Replay the combined gate (`chooseByThreshold` and `vetoed` in src/answer/gates.ts): the threshold's
 * choice among the sentences that may answer (the hand rules let them through and their article names
 * the question's names: the features `rulesPass` and `namesAll`), best evidence score first, declined
 * when the gate's probability for its first sentence is under `veto`. The traced sentences are the
 * answerer's wide pool, so a further citation from beyond it is not replayed.
 */
function simulateCombined(ts: Traced[], rankers: (t: Traced) => LinearModel, gate: LinearModel, veto: number): Outcome {
  const o: Outcome = { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
  for (const t of ts) {
    if (t.answerable) o.answerable++;
    else o.unanswerable++;
    const eligible = t.candidates
      .map(gated)
      .filter((c) => c.features!.rulesPass === 1 && c.features!.namesAll === 1)
      .sort((a, b) => b.score - a.score);
    const model = { ranker: rankers(t), gate: { ...gate, threshold: 0 }, veto, calibration: { scale: 1, shift: 0 } };
    const chosen = vetoed(model, chooseByThreshold(ANSWER_THRESHOLD, eligible, ANSWER_MAX_CITATIONS), 0).chosen.map((c) => c.trace);
    const best = chosen[0];
    if (!best) {
      if (!t.answerable) o.declined++;
      continue;
    }
    if (labelOf(t, best) === 1) o.firstRight++;
    if (chosen.some((c) => labelOf(t, c) === 1)) o.right++;
    else o.falseAnswers++;
    o.padding += chosen.slice(1).filter((c) => labelOf(t, c) === 0).length;
  }
  return o;
}

function objective(o: Outcome): number {
  return (
    (o.right + FIRST_WEIGHT * o.firstRight) / Math.max(1, o.answerable) +
    o.declined / Math.max(1, o.unanswerable) -
    (PADDING_COST * o.padding) / Math.max(1, o.right + o.falseAnswers)
  );
}

/** Sum of outcomes. */
function add(total: Outcome, o: Outcome): Outcome {
  for (const key of Object.keys(total) as Array<keyof Outcome>) total[key] += o[key];
  return total;
}

function empty(): Outcome {
  return { right: 0, firstRight: 0, declined: 0, falseAnswers: 0, padding: 0, answerable: 0, unanswerable: 0 };
}

/** What one fit gives: the model and its out-of-fold figures on the questions it was fitted on. */
interface Fit {
  model: AnswerabilityModel;
  oof: Outcome;
  objective: number;
  combined: Outcome;
}

/**
 * Fit the ranker and the gate on `traced`, and choose the gate's threshold, the bar for further
 * citations and the combined gate's veto out of fold: folds by article, so no question is judged by
 * weights fitted on questions about its own article, as at run time.
 */
function fitAll(traced: Traced[], on: string[]): Fit {
  // With several groups of questions (the team's sets, news-dev's beats), each fold is one group, so the
  // threshold and the calibration are chosen on questions from beats the weights never saw, as on a
  // new owner's news; otherwise folds by article.
  const groups = [...new Set(traced.map((t) => t.group))].sort();
  const byGroup = groups.length >= MIN_GROUP_FOLDS;
  const folds = byGroup ? groups.length : ARTICLE_FOLDS;
  const articleFold = new Map([...new Set(traced.map((t) => t.article))].sort().map((id, i) => [id, i % ARTICLE_FOLDS]));
  const foldOf = new Map(traced.map((t) => [t, byGroup ? groups.indexOf(t.group) : articleFold.get(t.article)!]));
  const foldRankers = Array.from({ length: folds }, (_, k) => fitRanker(traced.filter((t) => foldOf.get(t) !== k)));
  const oofRanker = (t: Traced) => foldRankers[foldOf.get(t)!]!;
  const foldGates = Array.from({ length: folds }, (_, k) =>
    fitGate(
      traced.filter((t) => foldOf.get(t) !== k),
      oofRanker,
    ),
  );
  const inFold = (k: number) => traced.filter((t) => foldOf.get(t) === k);
  const simulateOof = (threshold: number, extraRatio: number, shown?: Shown[]) =>
    Array.from({ length: folds }, (_, k) => simulate(inFold(k), oofRanker, foldGates[k]!, threshold, extraRatio, shown)).reduce(add, empty());
  const combinedOof = (veto: number) =>
    Array.from({ length: folds }, (_, k) => simulateCombined(inFold(k), oofRanker, foldGates[k]!, veto)).reduce(add, empty());
  let best = { threshold: 0.5, extraRatio: 1, score: -Infinity };
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    for (const r of [0.3, 0.5, 0.7, 0.9, 1.01]) {
      const score = objective(simulateOof(t, r));
      if (score > best.score + 1e-9) best = { threshold: Math.round(t * 100) / 100, extraRatio: r, score };
    }
  }
  let bestVeto = { veto: 0, score: -Infinity };
  for (let v = 0; v <= 0.601; v += 0.02) {
    const score = objective(combinedOof(v));
    if (score > bestVeto.score + 1e-9) bestVeto = { veto: Math.round(v * 100) / 100, score };
  }
  const shown: Shown[] = [];
  const oof = simulateOof(best.threshold, best.extraRatio, shown);
  const ranker = fitRanker(traced);
  const gate = fitGate(traced, () => ranker);
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  const rounded = (m: LinearModel): LinearModel => ({
    mean: m.mean.map(round6),
    scale: m.scale.map(round6),
    weights: m.weights.map(round6),
    bias: round6(m.bias),
  });
  const model = parseModel({
    version: 1,
    features: [...FEATURES],
    ranker: rounded(ranker),
    gate: { ...rounded(gate), threshold: best.threshold },
    veto: bestVeto.veto,
    extraRatio: best.extraRatio,
    calibration: fitCalibration(shown),
    fitted: { at: new Date().toISOString(), on, questions: traced.length, examples: traced.reduce((n, t) => n + t.candidates.length, 0) },
  });
  return { model, oof, objective: best.score, combined: combinedOof(bestVeto.veto) };
}

function line(o: Outcome): string {
  const pct = (n: number, d: number) => `${n}/${d} (${Math.round((100 * n) / Math.max(1, d))}%)`;
  return `right ${pct(o.right, o.answerable)}, right first ${pct(o.firstRight, o.answerable)}, declined ${pct(o.declined, o.unanswerable)}, false answers ${o.falseAnswers}`;
}

/** Every `step`-th article of a list, in a fixed order: a share of the training articles for the learning curve. */
function shareOf(traced: Traced[], share: number): Traced[] {
  const articles = [...new Set(traced.map((t) => t.article))].sort();
  const keep = new Set(articles.filter((_, i) => Math.floor((i + 1) * share) > Math.floor(i * share)));
  return traced.filter((t) => keep.has(t.article));
}

/** Shares of the training articles the learning curve is drawn at. */
const LEARNING_CURVE = [0.25, 0.5, 1] as const;

// `--from-traces <file>`: fit on traces an earlier run kept (`--traces`), without asking again.
const fromAt = process.argv.indexOf("--from-traces");
const traced: Traced[] = fromAt > 0 ? (JSON.parse(readFileSync(process.argv[fromAt + 1]!, "utf8")) as Traced[]) : await trace();
// `--traces <file>`: keep every considered sentence with its features and label, for diagnosis (outside the repository: it holds news-dev text).
const tracesAt = process.argv.indexOf("--traces");
if (tracesAt > 0 && process.argv[tracesAt + 1]) writeFileSync(process.argv[tracesAt + 1]!, JSON.stringify(traced));

const newsGroups = [...new Set(traced.map((t) => t.group))].filter((g) => g !== "team").sort();
const sources = (groups: string[]) => [...EVAL_SETS.filter((s) => s.split === "dev").map((s) => s.file), ...groups.map((g) => `../shared/news-dev/${g}`)];
const out: string[] = [];
if (newsGroups.length > 0) {
  // Leave one group out: each news-dev group is judged by a model fitted on the team's sets and the other groups.
  mkdirSync(LOGO_MODELS, { recursive: true });
  const curve = new Map<number, Outcome>(LEARNING_CURVE.map((s) => [s, empty()]));
  let pooled = empty();
  for (const g of newsGroups) {
    const train = traced.filter((t) => t.group !== g);
    const test = traced.filter((t) => t.group === g);
    for (const share of LEARNING_CURVE) {
      const fit = share === 1 ? undefined : fitAll(shareOf(train, share), []);
      const m =
        fit?.model ??
        (() => {
          const full = fitAll(train, sources(newsGroups.filter((x) => x !== g)));
          writeFileSync(path.join(LOGO_MODELS, `${g}.json`), `${JSON.stringify(full.model, null, 1)}\n`);
          return full.model;
        })();
      const o = simulate(test, () => m.ranker, m.gate, m.gate.threshold, m.extraRatio);
      curve.set(share, add(curve.get(share)!, o));
      if (share === 1) {
        pooled = add(pooled, o);
        out.push(`news-dev group ${g}, out-of-group (fitted gate at ${m.gate.threshold}): ${line(o)}`);
      }
    }
  }
  out.push(`news-dev pooled, out-of-group: ${line(pooled)}`);
  out.push(`learning curve (share of training articles: pooled out-of-group): ${LEARNING_CURVE.map((s) => `${s * 100}%: ${line(curve.get(s)!)}`).join("; ")}`);
}
const fit = fitAll(traced, sources(newsGroups));
const model = fit.model;
const file = path.join(root, "src/answer/answerability.v1.json");
writeFileSync(file, `${JSON.stringify(model, null, 1)}\n`);
const reachable = traced.filter((t) => t.answerable && t.labels.includes(1)).length;
const weights = (names: string[], m: LinearModel) =>
  names.map((f, i) => `  ${f.padEnd(22)} ${m.weights[i]!.toFixed(3)}`).join("\n") + `\n  ${"bias".padEnd(22)} ${m.bias.toFixed(3)}`;
process.stdout.write(
  `fitted on ${traced.length} questions (${newsGroups.length ? `team dev sets and news-dev ${newsGroups.join(", ")}` : "team dev sets"}), ${model.fitted.examples} sentences\n` +
    `a sentence with the fact among those considered: ${reachable}/${fit.oof.answerable}\n` +
    `${out.join("\n")}${out.length ? "\n" : ""}` +
    `all, out of fold, objective (share right + ${FIRST_WEIGHT} × share right first + share declined − ${PADDING_COST} × padding share): ${fit.objective.toFixed(3)}\n` +
    `all, out of fold, gate at ${model.gate.threshold}, further citations at ≥ ${model.extraRatio} of the first: ${line(fit.oof)}, citations without the fact ${fit.oof.padding}\n` +
    `all, out of fold, combined gate (threshold ${ANSWER_THRESHOLD}, vetoed under ${model.veto}): ${line(fit.combined)}\n` +
    `ranker\n${weights([...FEATURES], model.ranker)}\ngate\n${weights([...FEATURES, "rankerLogit"], model.gate)}\nwrote ${path.relative(process.cwd(), file)}\n`,
);
