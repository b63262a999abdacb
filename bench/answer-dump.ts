import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Answer, Citation } from "../src/answer/answer.js";
import { loadConfig } from "../src/config.js";
import { askInConversation, asTurn } from "../src/conversation/ask.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { EVAL_SETS, VARIANTS, type SetQuestion } from "./eval-sets.js";
import type { Conversation } from "./score-conversations.js";
import type { RetrievalVariant } from "../src/retrieval/hybrid.js";

/**
 * `npm run eval:dump -- [--write FILE] [--compare FILE]`: every answer `npm run eval`, `npm run eval:sets`
 * and the conversation eval give, in one canonical form: answered or not, confidence, the answer text's
 * hash, each citation's place and source, the closest sentence of a decline and the related passages,
 * and the ranked passages of each search. A refactoring that must change no answer compares its dump with
 * the one written before it (`bench/results/answers-before.json`); the first difference is printed.
 */

const root = path.resolve(import.meta.dirname, "..");
// A word-vector cache of its own, made afresh: the shared one grows with every corpus indexed on this
// machine, and a question word it has gained since would change an answer.
const cacheDir = mkdtempSync(path.join(os.tmpdir(), "newsbot-dump-cache-"));
process.on("exit", () => rmSync(cacheDir, { recursive: true, force: true }));
const log = createLogger({ level: "warn" });
/** Scores are compared to this many decimals: a refactoring may reorder a sum, not change a ranking. */
const DECIMALS = 6;
const round = (x: number) => Number(x.toFixed(DECIMALS));
const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

const citation = (c: Citation) => `${c.passageId} ${c.start}-${c.end} ${c.source} | ${c.publisher} | ${c.published}`;
const dumpAnswer = (a: Answer) => ({
  answered: a.answered,
  confidence: round(a.confidence),
  answer: hash(a.answer),
  citations: a.citations.map(citation),
  closest: a.closest ? citation(a.closest) : null,
  related: a.related.map((r) => `${r.passageId} ${round(r.score)}`),
});

async function withService<T>(corpus: string, env: Record<string, string>, run: (s: Awaited<ReturnType<typeof openAnswerService>>) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "newsbot-dump-"));
  try {
    const config = loadConfig({ ...process.env, CORPUS_DIR: path.join(root, corpus), DATA_DIR: dataDir, CACHE_DIR: cacheDir, LOG_LEVEL: "warn", ...env });
    const service = await openAnswerService(config, { log });
    try {
      return await run(service);
    } finally {
      await service.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dump(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const questions = JSON.parse(readFileSync(path.join(root, "test/fixtures/questions.json"), "utf8")) as Array<{ id: string; question: string }>;
  const variants: RetrievalVariant[] = ["lexical", "vector", "hybrid", "hybrid+expansion"];
  await withService("corpus", {}, async (service) => {
    for (const variant of variants) {
      for (const q of questions) {
        const ranked = await service.search(q.question, { variant, k: 10 });
        out[`eval ${variant} ${q.id} search`] = ranked.map((r) => `${r.passage.id} ${round(r.score)}`);
        out[`eval ${variant} ${q.id}`] = dumpAnswer(await service.ask(q.question, { variant }));
      }
    }
    const conversations = JSON.parse(readFileSync(path.join(root, "test/fixtures/conversations.json"), "utf8")) as Conversation[];
    for (const conv of conversations) {
      const [t1, t2] = conv.turns;
      if (!t1 || !t2) continue;
      const a1 = await service.ask(t1.question);
      const r = await askInConversation(service, t2.question, [asTurn(t1.question, { answer: a1, query: t1.question })], {});
      out[`conversation ${conv.id} 1`] = dumpAnswer(a1);
      out[`conversation ${conv.id} 2`] = { query: r.query, ...dumpAnswer(r.answer) };
    }
  });
  for (const gate of VARIANTS) {
    const byCorpus = new Map<string, typeof EVAL_SETS>();
    for (const set of EVAL_SETS) byCorpus.set(set.corpus, [...(byCorpus.get(set.corpus) ?? []), set]);
    for (const [corpus, sets] of byCorpus) {
      await withService(corpus, { ANSWER_GATE: gate }, async (service) => {
        for (const set of sets) {
          const qs = JSON.parse(readFileSync(path.join(root, set.file), "utf8")) as SetQuestion[];
          for (const q of qs) out[`sets ${gate} ${path.basename(set.file)} ${q.id}`] = dumpAnswer(await service.ask(q.question));
        }
      });
    }
  }
  return out;
}

function compare(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const differences: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = JSON.stringify(before[key]);
    const b = JSON.stringify(after[key]);
    if (a !== b) differences.push(`${key}\n  before ${a}\n  after  ${b}`);
  }
  return differences;
}

const arg = (flag: string) => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const now = await dump();
const write = arg("--write");
// One line per answer: a diff of two dumps reads answer by answer.
const lines = (d: Record<string, unknown>) =>
  `{\n${Object.entries(d)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(",\n")}\n}\n`;
if (write) writeFileSync(write, lines(now));
const against = arg("--compare");
if (against) {
  const differences = compare(JSON.parse(readFileSync(against, "utf8")) as Record<string, unknown>, now);
  process.stdout.write(`${Object.keys(now).length} answers and searches, ${differences.length} differ from ${against}\n`);
  for (const d of differences.slice(0, 20)) process.stdout.write(`${d}\n`);
  if (differences.length) process.exitCode = 1;
} else if (!write) process.stdout.write(lines(now));
