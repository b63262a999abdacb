import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Answer } from "../src/answer/answer.js";
import { parseModel, type AnswerabilityModel } from "../src/answer/answerability.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { VARIANTS } from "./eval-sets.js";
import { machine } from "./machine.js";
import { importNewsDev, loadNewsDev, reliability, scoreNewsAnswer, type NewsQuestion, type Reliability } from "./news-dev.js";

/** An answer shown, with its confidence and whether it was right. */
type Shown = { confidence: number; right: boolean };

/**
 * `npm run eval:news`: every question of `../shared/news-dev` asked of one corpus of all its pages
 * (imported with the project's importer), under each answer gate, scored as the set's README says.
 * The fitted and combined gates answer each group's questions with the model `npm run fit` fitted
 * without that group (`bench/results/news-dev-models/<group>.json`), so every figure is out-of-group;
 * `--committed` uses the committed model instead (in-group: it was fitted on every group).
 * `--gates fitted,threshold` picks gates; `--dump <file>` writes each answer (outside the repository:
 * it holds the set's text). Figures go to `bench/results/news-dev.json`.
 */

export interface GroupScore {
  variant: string;
  group: string;
  answerable: number;
  right: number;
  first: number;
  whoSaid: number;
  speakerRight: number;
  unanswerable: number;
  declined: number;
  /** Answers shown (to either kind of question) with their confidence, for calibration. */
  calibration: Reliability;
}

const root = path.resolve(import.meta.dirname, "..");
export const LOGO_MODELS = path.join(root, "bench/results/news-dev-models");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function logoModel(group: string): AnswerabilityModel {
  const file = path.join(LOGO_MODELS, `${group}.json`);
  try {
    return parseModel(JSON.parse(readFileSync(file, "utf8")));
  } catch (e) {
    throw new Error(`eval:news: no out-of-group model for group ${group} (${file}): run npm run fit first (${(e as Error).message})`);
  }
}

/** One group's score, and the answers it showed with their confidence (for pooled calibration). */
export function summarise(variant: string, group: string, qs: NewsQuestion[], answers: Answer[]): { score: GroupScore; shown: Shown[] } {
  const s: GroupScore = {
    variant,
    group,
    answerable: 0,
    right: 0,
    first: 0,
    whoSaid: 0,
    speakerRight: 0,
    unanswerable: 0,
    declined: 0,
    calibration: reliability([]),
  };
  const shown: Shown[] = [];
  qs.forEach((q, i) => {
    const a = answers[i]!;
    const sc = scoreNewsAnswer(q, a);
    if (a.answered) shown.push({ confidence: a.confidence, right: sc.right });
    if (!q.answerable) {
      s.unanswerable++;
      if (!a.answered) s.declined++;
      return;
    }
    s.answerable++;
    if (sc.right) s.right++;
    if (sc.first) s.first++;
    if (q.by) {
      s.whoSaid++;
      if (sc.speaker) s.speakerRight++;
    }
  });
  s.calibration = reliability(shown);
  return { score: s, shown };
}

async function main(): Promise<void> {
  const set = loadNewsDev();
  if ("missing" in set) {
    console.log(set.missing);
    return;
  }
  const gates = (arg("--gates")?.split(",") ?? [...VARIANTS]) as Array<(typeof VARIANTS)[number]>;
  const committed = process.argv.includes("--committed");
  const dumpFile = arg("--dump");
  const log = createLogger({ level: "warn" });
  const tmp = mkdtempSync(path.join(os.tmpdir(), "newsbot-news-dev-"));
  const scores: GroupScore[] = [];
  const shownBy = new Map<string, Shown[]>();
  const dump: unknown[] = [];
  // Per gate and kind of question (figure, date, who, why, para, …): answerable ones right, and how the rest failed.
  const kinds = new Map<string, { n: number; right: number; declined: number; wrong: number }>();
  try {
    const corpusDir = path.join(tmp, "corpus");
    await importNewsDev(set, corpusDir);
    for (const variant of gates) {
      const config = loadConfig({
        ...process.env,
        CORPUS_DIR: corpusDir,
        DATA_DIR: path.join(tmp, "data"),
        CACHE_DIR: path.join(root, ".data/cache"),
        LOG_LEVEL: "warn",
        LLM_PROVIDER: "none",
        ANSWER_GATE: variant,
      });
      for (const group of set.groups) {
        const model = variant === "threshold" || committed ? undefined : logoModel(group);
        const service = await openAnswerService(config, { log, ...(model ? { model } : {}) });
        try {
          const qs = set.questions.filter((q) => q.group === group);
          const answers: Answer[] = [];
          for (const q of qs) answers.push(await service.ask(q.q));
          const { score, shown } = summarise(variant, group, qs, answers);
          scores.push(score);
          shownBy.set(variant, [...(shownBy.get(variant) ?? []), ...shown]);
          qs.forEach((q, i) => {
            if (!q.answerable) return;
            const sc = scoreNewsAnswer(q, answers[i]!);
            for (const kind of q.kind.length ? q.kind : ["unlabelled"]) {
              const k = kinds.get(`${variant} ${kind}`) ?? { n: 0, right: 0, declined: 0, wrong: 0 };
              k.n++;
              if (sc.right) k.right++;
              else if (sc.answered) k.wrong++;
              else k.declined++;
              kinds.set(`${variant} ${kind}`, k);
            }
          });
          if (dumpFile)
            qs.forEach((q, i) =>
              dump.push({ variant, ...q, ...scoreNewsAnswer(q, answers[i]!), confidence: answers[i]!.confidence, answer: answers[i]!.answer }),
            );
        } finally {
          await service.close();
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const pooled = gates.map((variant) =>
    pool(
      variant,
      scores.filter((s) => s.variant === variant),
      shownBy.get(variant) ?? [],
    ),
  );
  console.log(
    `news-dev, ${committed ? "committed model (in-group for fitted/combined)" : "out-of-group (each group answered by the model fitted without it)"}`,
  );
  console.log("gate | group | right | fact in first quote | speaker right | near-misses declined | ECE");
  for (const s of [...scores, ...pooled]) {
    const pct = (n: number, d: number) => `${n}/${d} (${Math.round((100 * n) / Math.max(1, d))}%)`;
    console.log(
      `${s.variant} | ${s.group} | ${pct(s.right, s.answerable)} | ${pct(s.first, s.answerable)} | ${pct(s.speakerRight, s.whoSaid)} | ${pct(s.declined, s.unanswerable)} | ${s.calibration.ece.toFixed(3)}`,
    );
  }
  for (const p of pooled) {
    console.log(`\nreliability, ${p.variant}, pooled: confidence bin | answers | mean confidence | share right`);
    for (const b of p.calibration.bins.filter((b) => b.n > 0))
      console.log(`${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.n} | ${b.meanConfidence.toFixed(2)} | ${b.accuracy.toFixed(2)}`);
  }
  console.log("\nanswerable questions by kind, pooled: gate kind | n | right | answered wrong | declined");
  for (const [key, k] of [...kinds].sort()) console.log(`${key} | ${k.n} | ${k.right} | ${k.wrong} | ${k.declined}`);
  if (dumpFile) writeFileSync(dumpFile, JSON.stringify(dump, null, 1));
  if (!committed && gates.length === VARIANTS.length) {
    writeFileSync(
      path.join(root, "bench/results/news-dev.json"),
      `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), results: [...scores, ...pooled] }, null, 2)}\n`,
    );
  }
}

/** The groups' scores added up; calibration over every shown answer of the gate. */
function pool(variant: string, groups: GroupScore[], shown: Shown[]): GroupScore {
  const sum = (k: keyof Omit<GroupScore, "variant" | "group" | "calibration">) => groups.reduce((n, g) => n + g[k], 0);
  return {
    variant,
    group: "pooled",
    answerable: sum("answerable"),
    right: sum("right"),
    first: sum("first"),
    whoSaid: sum("whoSaid"),
    speakerRight: sum("speakerRight"),
    unanswerable: sum("unanswerable"),
    declined: sum("declined"),
    calibration: reliability(shown),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
