import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Answer, Citation } from "../src/answer/answer.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { machine } from "./machine.js";

/**
 * `npm run eval:sets`: the current answerer on the blind question sets of `test/fixtures/eval/`
 * (see its README), dev and held-out side by side. Each set is answered over its own corpus, in a
 * temporary DATA_DIR. Results go to `bench/results/eval-sets.json`.
 */

/** A question of the blind sets. */
export interface SetQuestion {
  id: string;
  kind: string;
  question: string;
  articleIds: string[];
  /** Verbatim substrings of the article body; a right answer quotes one. Empty when unanswerable. */
  facts: string[];
  /** Accepted citation sources; "*" accepts any. */
  sources: string[];
  answerable: boolean;
}

export interface EvalSet {
  name: string;
  split: "dev" | "held-out";
  file: string;
  corpus: string;
}

export const EVAL_SETS: EvalSet[] = [
  { name: "24 new articles", split: "dev", file: "test/fixtures/eval/dev.json", corpus: "test/fixtures/eval/corpus" },
  { name: "24 new articles", split: "held-out", file: "test/fixtures/eval/heldout.json", corpus: "test/fixtures/eval/corpus" },
  { name: "seed articles", split: "dev", file: "test/fixtures/eval/seed-dev.json", corpus: "corpus" },
  { name: "seed articles", split: "held-out", file: "test/fixtures/eval/seed-heldout.json", corpus: "corpus" },
  { name: "24 more articles", split: "dev", file: "test/fixtures/eval/more-dev.json", corpus: "test/fixtures/eval/corpus-more" },
  { name: "24 more articles", split: "held-out", file: "test/fixtures/eval/more-heldout.json", corpus: "test/fixtures/eval/corpus-more" },
  // Out-of-scope questions, chat that is no question, and plain direct ones, on the same articles.
  { name: "24 new articles, scope", split: "dev", file: "test/fixtures/eval/scope-dev.json", corpus: "test/fixtures/eval/corpus" },
  { name: "24 new articles, scope", split: "held-out", file: "test/fixtures/eval/scope-heldout.json", corpus: "test/fixtures/eval/corpus" },
  { name: "seed articles, scope", split: "dev", file: "test/fixtures/eval/scope-seed-dev.json", corpus: "corpus" },
  { name: "seed articles, scope", split: "held-out", file: "test/fixtures/eval/scope-seed-heldout.json", corpus: "corpus" },
  { name: "24 more articles, scope", split: "dev", file: "test/fixtures/eval/scope-more-dev.json", corpus: "test/fixtures/eval/corpus-more" },
  { name: "24 more articles, scope", split: "held-out", file: "test/fixtures/eval/scope-more-heldout.json", corpus: "test/fixtures/eval/corpus-more" },
];

/** Articles whose questions are held out: chosen once, by sha-256 of the id (test/fixtures/eval/README.md). */
export const HELD_OUT_ARTICLES: ReadonlySet<string> = new Set([
  "ankara-kayseri-high-speed-rail-opens",
  "baku-port-alat-terminal-handover",
  "cairns-coral-coast-classic-prize-money",
  "georgia-south-korea-wine-agreement",
  "ghent-canal-race-bridge-closure",
  "kenya-drought-relief-appeal",
  "luxor-granary-overseer-tomb",
  "moscow-gas-pipeline-maintenance-armenia-georgia",
  "uzbekistan-china-cotton-yarn-deal",
  "vestland-electric-ferry-contract",
  "kars-gyumri-railway-talks",
  // The second batch (corpus-more): three per writer, by sha-256 of the id.
  "jordan-nabataean-caravan-station",
  "mongolia-measles-vaccination-drive",
  "reciclo-andino-series-b-funding",
  "tour-of-the-euphrates-ospina-wins",
  "vietnam-robusta-harvest-forecast-cut",
  "zambia-central-bank-cuts-rate",
]);

/** Answerer variants compared side by side (ANSWER_GATE): the threshold on the evidence score, it vetoed by the fitted model, the model alone. */
export const VARIANTS = ["threshold", "combined", "fitted"] as const;

export interface SetScore {
  variant?: string;
  set: string;
  split: EvalSet["split"];
  answerable: number;
  /** Answered with an expected fact in some citation. */
  right: number;
  /** …in the first citation. */
  firstRight: number;
  /** …with an accepted source on the citation that holds it. */
  sourceRight: number;
  unanswerable: number;
  declined: number;
  /** Answers given where the sources hold no expected fact: unanswerables answered, or a wrong quote. */
  falseAnswers: number;
  citationsPerAnswer: number;
  /** Share of citations whose quote is the article body at its offsets. */
  verbatim: number;
}

/** Score one set's answers. */
export function scoreSet(set: EvalSet, questions: SetQuestion[], answers: Answer[], bodies: Map<string, string>): SetScore {
  const holds = (q: SetQuestion, c: Citation) => q.facts.some((f) => c.quote.includes(f));
  const sourced = (q: SetQuestion, c: Citation) => q.sources.includes("*") || q.sources.some((s) => c.source.toLowerCase().includes(s.toLowerCase()));
  const s: SetScore = {
    set: set.name,
    split: set.split,
    answerable: 0,
    right: 0,
    firstRight: 0,
    sourceRight: 0,
    unanswerable: 0,
    declined: 0,
    falseAnswers: 0,
    citationsPerAnswer: 0,
    verbatim: 0,
  };
  let answered = 0;
  let citations = 0;
  let verbatim = 0;
  questions.forEach((q, i) => {
    const a = answers[i]!;
    if (a.answered) {
      answered++;
      citations += a.citations.length;
      for (const c of a.citations) if (bodies.get(c.articleId)?.slice(c.start, c.end) === c.quote) verbatim++;
    }
    if (!q.answerable) {
      s.unanswerable++;
      if (a.answered) s.falseAnswers++;
      else s.declined++;
      return;
    }
    s.answerable++;
    const hit = a.answered ? a.citations.find((c) => holds(q, c)) : undefined;
    if (hit) s.right++;
    else if (a.answered) s.falseAnswers++;
    if (a.answered && a.citations[0] && holds(q, a.citations[0])) s.firstRight++;
    if (hit && a.citations.some((c) => holds(q, c) && sourced(q, c))) s.sourceRight++;
  });
  s.citationsPerAnswer = Math.round((citations / Math.max(1, answered)) * 100) / 100;
  s.verbatim = citations ? Math.round((verbatim / citations) * 1000) / 1000 : 1;
  return s;
}

async function main(): Promise<void> {
  const root = path.resolve(import.meta.dirname, "..");
  const log = createLogger({ level: "warn" });
  const scores: SetScore[] = [];
  // `--gates fitted,threshold`: only those gates (the results file is written only for all of them).
  const gatesAt = process.argv.indexOf("--gates");
  const gates = gatesAt > 0 ? (process.argv[gatesAt + 1]!.split(",") as Array<(typeof VARIANTS)[number]>) : [...VARIANTS];
  for (const variant of gates) {
    for (const set of EVAL_SETS) {
      const questions = JSON.parse(readFileSync(path.join(root, set.file), "utf8")) as SetQuestion[];
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "newsbot-eval-sets-"));
      try {
        const config = loadConfig({
          ...process.env,
          CORPUS_DIR: path.join(root, set.corpus),
          DATA_DIR: dataDir,
          CACHE_DIR: path.join(root, ".data/cache"),
          LOG_LEVEL: "warn",
          ANSWER_GATE: variant,
        });
        const service = await openAnswerService(config, { log });
        try {
          const answers: Answer[] = [];
          for (const q of questions) answers.push(await service.ask(q.question));
          const bodies = new Map<string, string>();
          for (const id of new Set(answers.flatMap((a) => a.citations.map((c) => c.articleId)))) {
            const body = service.getPassage(`${id}#p1`)?.article.body;
            if (body !== undefined) bodies.set(id, body);
          }
          scores.push({ variant, ...scoreSet(set, questions, answers, bodies) });
        } finally {
          await service.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  console.log("split | set | variant | right | first citation right | source right | declined | false answers | citations/answer | verbatim");
  for (const split of ["held-out", "dev"] as const) {
    for (const s of scores.filter((x) => x.split === split)) {
      console.log(
        `${s.split} | ${s.set} | ${s.variant} | ${s.right}/${s.answerable} | ${s.firstRight}/${s.answerable} | ${s.sourceRight}/${s.answerable} | ${s.declined}/${s.unanswerable} | ${s.falseAnswers} | ${s.citationsPerAnswer} | ${s.verbatim}`,
      );
    }
  }
  if (gates.length === VARIANTS.length)
    writeFileSync(
      path.join(root, "bench/results/eval-sets.json"),
      `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), results: scores }, null, 2)}\n`,
    );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
