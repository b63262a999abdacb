import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvalQuestion } from "../../bench/score.js";
import type { Answer } from "../../src/answer/answer.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";

const questions = JSON.parse(readFileSync(path.join(REPO, "test/fixtures/questions.json"), "utf8")) as EvalQuestion[];

// How many of these the bot gets right is measured by `npm run eval` and reported in docs/evaluation.md,
// not asserted here: the rules were written on this set, so a floor on it says little about other news.

describe("the question set, answered from the real corpus", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  const answers = new Map<string, Answer>();

  beforeAll(async () => {
    dir = scratch({ corpus: false });
    core = await openAnswerService(testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir }), memoryLogger());
    for (const q of questions) answers.set(q.id, await core.ask(q.question));
  });
  afterAll(() => dir.cleanup());

  it("has at least 40 questions of every kind, 8 or more unanswerable", () => {
    expect(questions.length).toBeGreaterThanOrEqual(40);
    for (const kind of ["direct", "paraphrase", "multi"]) expect(questions.some((q) => q.kind === kind)).toBe(true);
    expect(questions.filter((q) => q.kind === "unanswerable").length).toBeGreaterThanOrEqual(8);
  });

  it("cites nothing as an answer when it declines", () => {
    const unanswerable = questions.filter((q) => q.kind === "unanswerable");
    for (const q of unanswerable) {
      const a = answers.get(q.id)!;
      if (!a.answered) expect(a.citations).toEqual([]);
    }
  });

  it("quotes only text that is verbatim in the article at the cited offsets, in answers and in the closest sentence of a decline", async () => {
    const { articles } = await loadCorpus(REPO_CORPUS);
    const bodies = new Map(articles.map((a) => [a.id, a]));
    let quotes = 0;
    for (const a of answers.values()) {
      for (const c of [...a.citations, ...(a.closest ? [a.closest] : [])]) {
        const article = bodies.get(c.articleId)!;
        expect(article.body.slice(c.start, c.end)).toBe(c.quote);
        expect(c.passageId.startsWith(`${c.articleId}#p`)).toBe(true);
        expect([c.title, c.publisher, c.published, c.url]).toEqual([article.title, article.publisher, article.published, article.url]);
        quotes += 1;
      }
    }
    expect(quotes).toBeGreaterThan(40);
  });
});
