import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Answer } from "../src/answer/answer.js";
import { loadConfig } from "../src/config.js";
import { askInConversation, asTurn, type ConversationOptions } from "../src/conversation/ask.js";
import { loadCorpus } from "../src/corpus/load.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { machine } from "./machine.js";
import { turnCorrect, type Conversation } from "./score-conversations.js";

/** How the second turn is asked: the ablation shows what each part of the follow-up handling adds. */
const MODES: Array<{ name: string; describe: string; opts: ConversationOptions | "alone" }> = [
  { name: "alone", describe: "the follow-up asked on its own, no context", opts: "alone" },
  { name: "prefer only", describe: "as asked, retrieval favouring the passages turn 1 cited", opts: { rewrite: false } },
  { name: "rewrite only", describe: "references resolved from turn 1, no retrieval preference", opts: { prefer: false } },
  { name: "follow-up", describe: "what the bot does in a thread: resolved and preferring turn 1's passages", opts: {} },
];

const root = path.resolve(import.meta.dirname, "..");
const conversations = JSON.parse(readFileSync(path.join(root, "test/fixtures/conversations.json"), "utf8")) as Conversation[];
const dataDir = mkdtempSync(path.join(os.tmpdir(), "newsbot-eval-conv-"));
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
  const bodies = new Map(articles.map((a) => [a.id, a.body]));
  const verbatim = { ok: 0, total: 0 };
  const check = (a: Answer) => {
    for (const c of a.citations) {
      verbatim.total++;
      if (bodies.get(c.articleId)?.slice(c.start, c.end) === c.quote) verbatim.ok++;
    }
  };
  const first = { right: 0, total: 0 };
  const tally = new Map(
    MODES.map((m) => [
      m.name,
      { right: 0, answerable: 0, answerableRight: 0, unanswerable: 0, abstained: 0, sameArticle: 0, halves: [0, 0] as [number, number] },
    ]),
  );
  // The set's two halves (c01–c19, c20–c37), to show how much the figure moves between similar sets.
  const half = (i: number) => (i < Math.ceil(conversations.length / 2) ? 0 : 1);
  const details: Array<Record<string, unknown>> = [];
  for (const [index, conv] of conversations.entries()) {
    const [t1, t2] = conv.turns;
    if (!t1 || !t2) continue;
    const a1 = await core.ask(t1.question);
    check(a1);
    const ok1 = turnCorrect(t1, a1);
    first.total++;
    if (ok1) first.right++;
    const turns = [asTurn(t1.question, { answer: a1, query: t1.question })];
    const row: Record<string, unknown> = {
      id: conv.id,
      turn1: { question: t1.question, correct: ok1 },
      turn2: { question: t2.question, answerable: t2.answerable },
    };
    for (const mode of MODES) {
      const r =
        mode.opts === "alone" ? { answer: await core.ask(t2.question), query: t2.question } : await askInConversation(core, t2.question, turns, mode.opts);
      check(r.answer);
      const ok = turnCorrect(t2, r.answer);
      const s = tally.get(mode.name)!;
      if (ok) {
        s.right++;
        s.halves[half(index)]++;
      }
      if (t2.answerable) {
        s.answerable++;
        if (ok) s.answerableRight++;
      } else {
        s.unanswerable++;
        if (!r.answer.answered) s.abstained++;
      }
      if (t2.answerable && r.answer.answered && t2.articleIds.includes(r.answer.citations[0]?.articleId ?? "")) s.sameArticle++;
      row[mode.name] = {
        correct: ok,
        query: r.query,
        answered: r.answer.answered,
        first: r.answer.citations[0] ? `${r.answer.citations[0].passageId}: ${r.answer.citations[0].quote.slice(0, 100)}` : null,
      };
    }
    details.push(row);
  }
  const n = first.total;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const results = MODES.map((m) => {
    const s = tally.get(m.name)!;
    const size = [Math.ceil(n / 2), n - Math.ceil(n / 2)];
    return {
      mode: m.name,
      describe: m.describe,
      turn2Accuracy: round(s.right / n),
      byHalf: [round(s.halves[0] / size[0]!), round(s.halves[1] / size[1]!)],
      answerableAccuracy: round(s.answerableRight / Math.max(s.answerable, 1)),
      abstainedWhenUnanswerable: `${s.abstained}/${s.unanswerable}`,
      firstCitationRightArticle: round(s.sameArticle / Math.max(s.answerable, 1)),
    };
  });
  const report = {
    at: new Date().toISOString(),
    machine: machine(),
    conversations: n,
    turn1Accuracy: round(first.right / n),
    verbatimShare: round(verbatim.ok / Math.max(verbatim.total, 1)),
    modes: results,
    details,
  };
  const out = path.join(root, "bench/results/conversations.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `${n} two-turn conversations (test/fixtures/conversations.json); turn 1 right: ${report.turn1Accuracy}; every quote verbatim: ${report.verbatimShare}\n\n`,
  );
  process.stdout.write(
    `| turn 2 asked as | right | first half / second half | answerable right | abstained when unanswerable | first citation from the right article |\n|---|---|---|---|---|---|\n`,
  );
  for (const r of results)
    process.stdout.write(
      `| ${r.mode} (${r.describe}) | ${r.turn2Accuracy} | ${r.byHalf[0]} / ${r.byHalf[1]} | ${r.answerableAccuracy} | ${r.abstainedWhenUnanswerable} | ${r.firstCitationRightArticle} |\n`,
    );
  process.stdout.write(`\nwritten to ${path.relative(root, out)}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
