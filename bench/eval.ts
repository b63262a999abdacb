import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Answer } from "../src/answer/answer.js";
import { loadConfig } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { machine } from "./machine.js";
import { byKind, failures, scoreVariant, table, type EvalQuestion } from "./score.js";
import type { RetrievalVariant, ScoredPassage } from "../src/retrieval/hybrid.js";

/**
 * `npm run eval`: the question set against a fresh index of the repo corpus, every retrieval variant
 * in one run. The index goes to a temporary DATA_DIR so a running bot's index is never touched; the
 * word-vector cache is the shared `.data/cache`. Other settings (threshold, LLM) come from the environment.
 */
const root = path.resolve(import.meta.dirname, "..");
const questions = JSON.parse(readFileSync(path.join(root, "test/fixtures/questions.json"), "utf8")) as EvalQuestion[];
const dataDir = mkdtempSync(path.join(os.tmpdir(), "newsbot-eval-"));
try {
  const config = loadConfig({
    ...process.env,
    CORPUS_DIR: path.join(root, "corpus"),
    DATA_DIR: dataDir,
    CACHE_DIR: path.join(root, ".data/cache"),
    LOG_LEVEL: "warn",
  });
  const core = await openAnswerService(config, { log: createLogger({ level: config.LOG_LEVEL }) });
  const { articles } = await loadCorpus(config.corpusDir);
  const bodies = new Map(articles.map((a) => [a.id, a]));
  const variants: RetrievalVariant[] = ["lexical", "vector", "hybrid", "hybrid+expansion"];
  const scores = [];
  const kinds: Array<Record<string, string | number>> = [];
  const wrong: Record<string, ReturnType<typeof failures>> = {};
  for (const variant of variants) {
    const results = new Map<string, { ranked: ScoredPassage[]; answer: Answer }>();
    for (const q of questions) {
      const ranked = await core.search(q.question, { variant, k: 10 });
      const answer = await core.ask(q.question, { variant });
      results.set(q.id, { ranked, answer });
    }
    scores.push(scoreVariant(variant, questions, results, bodies));
    kinds.push({ variant, ...byKind(questions, results) });
    wrong[variant] = failures(questions, results);
  }
  const rows = scores.map((s) => ({
    variant: s.variant,
    "hit@1": s.hitAt1,
    "hit@3": s.hitAt3,
    MRR: s.mrr,
    "answer acc": s.answerAccuracy,
    "source acc": s.sourceAccuracy,
    "abstain P": s.abstentionPrecision,
    "abstain R": s.abstentionRecall,
    verbatim: s.verbatimShare,
  }));
  const count = (k: EvalQuestion["kind"]) => questions.filter((q) => q.kind === k).length;
  process.stdout.write(
    `${questions.length} questions: ${count("direct")} direct, ${count("paraphrase")} paraphrase, ${count("multi")} multi-article, ${count("unanswerable")} unanswerable\n\n` +
      `${table(rows)}\n\nanswer accuracy (fact and source) by kind\n${table(kinds)}\n\n` +
      `wrong with the default variant (${config.QUERY_EXPANSION ? "hybrid+expansion" : "hybrid"}):\n` +
      (wrong[config.QUERY_EXPANSION ? "hybrid+expansion" : "hybrid"] ?? []).map((f) => `  ${f.id} ${f.why}: ${f.question}\n`).join(""),
  );
  const out = path.join(root, "bench/results/eval.json");
  mkdirSync(path.dirname(out), { recursive: true });
  const settings = { threshold: config.ANSWER_THRESHOLD, retrievalK: config.RETRIEVAL_K, llm: config.LLM_PROVIDER, embeddings: config.EMBEDDINGS_PROVIDER };
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), node: process.version, questions: questions.length, settings, variants: scores, byKind: kinds, wrong }, null, 2)}\n`,
  );
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out)}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
