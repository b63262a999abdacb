import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Answer } from "../src/answer/answer.js";
import { loadConfig } from "../src/config.js";
import type { RetrievalVariant, ScoredPassage } from "../src/core.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createLogger } from "../src/log.js";
import { openCore } from "../src/open-core.js";
import { scoreVariant, table, type EvalQuestion } from "./score.js";

/** `npm run eval`: the question set against the real index, every retrieval variant in one run. */
const root = path.resolve(import.meta.dirname, "..");
const questions = JSON.parse(readFileSync(path.join(root, "test/fixtures/questions.json"), "utf8")) as EvalQuestion[];
const config = loadConfig();
const log = createLogger({ level: "warn" });
const core = await openCore(config, { log });
const { articles } = await loadCorpus(config.corpusDir);
const bodies = new Map(articles.map((a) => [a.id, a]));
const variants: RetrievalVariant[] = ["lexical", "vector", "hybrid", "hybrid+expansion"];
const scores = [];
for (const variant of variants) {
  const results = new Map<string, { ranked: ScoredPassage[]; answer: Answer }>();
  for (const q of questions) {
    const ranked = await core.search(q.question, { variant, k: 10 });
    const answer = await core.ask(q.question, { variant });
    results.set(q.id, { ranked, answer });
  }
  scores.push(scoreVariant(variant, questions, results, bodies));
}
process.stdout.write(`${table(scores.map((s) => ({ variant: s.variant, "hit@1": s.hitAt1, "hit@3": s.hitAt3, MRR: s.mrr, "answer acc": s.answerAccuracy, "source acc": s.sourceAccuracy, "abstain P": s.abstentionPrecision, "abstain R": s.abstentionRecall, verbatim: s.verbatimShare })))}\n`);
const out = path.join(root, "bench/results/eval.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, node: process.version, questions: questions.length, threshold: config.ANSWER_THRESHOLD, variants: scores }, null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
