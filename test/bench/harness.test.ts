import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasFact, hasFactWithSource, scoreVariant, type EvalQuestion } from "../../bench/score.js";
import { generateCorpus } from "../../bench/generate.js";
import { benchConfig, buildFigures, hnswRecallAt10, serveFigures } from "../../bench/scale.js";
import type { Answer } from "../../src/answer/answer.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { scratch } from "../helpers/core.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

describe("the benchmark harness, on 50 generated articles", () => {
  const dir = scratch({ corpus: false });
  afterAll(() => dir.cleanup());

  it("generates the same corpus for the same seed, with facts the articles state", async () => {
    const a = generateCorpus(path.join(dir.root, "a"), 5, 3);
    const b = generateCorpus(path.join(dir.root, "b"), 5, 3);
    expect(readFileSync(path.join(a.dir, "art-000002.md"), "utf8")).toBe(readFileSync(path.join(b.dir, "art-000002.md"), "utf8"));
    expect(a.questions).toEqual(b.questions);
    const { articles, problems } = await loadCorpus(a.dir);
    expect(problems).toEqual([]);
    for (const q of a.questions) expect(articles.find((x) => x.id === q.articleId)!.body).toContain(q.fact);
    for (const x of articles) expect(x.body.split(/\s+/).length).toBeGreaterThanOrEqual(400);
  });

  it("measures build, re-index, latency, accuracy and recall", async () => {
    const corpus = generateCorpus(dir.corpusDir, 50, 1);
    const config = benchConfig(dir.corpusDir, dir.dataDir, TEST_CACHE_DIR);
    const build = await buildFigures(config);
    expect(build).toMatchObject({ articles: 50 });
    expect(build.passages).toBeGreaterThan(50 * 8);
    expect(build.reindexOneS).toBeGreaterThan(0);
    const serve = await serveFigures(config, corpus.questions, 20);
    expect(serve.asked).toBe(20);
    expect(serve.askP50Ms).toBeLessThanOrEqual(serve.askP95Ms);
    expect(serve.accuracy).toBeGreaterThanOrEqual(0);
    expect(serve.accuracy).toBeLessThanOrEqual(1);
    const recall = await hnswRecallAt10(config, corpus.questions, 10);
    expect(recall).toBeGreaterThan(0.9);
  });
});

describe("scoring the question set", () => {
  const q: EvalQuestion = { id: "x", kind: "direct", question: "?", passageIds: ["a#p1"], facts: ["six months"], sources: ["Bloomberg"] };
  const answer = (source: string, quote: string, answered = true): Answer => ({
    question: "?",
    answered,
    answer: "",
    related: [],
    confidence: 1,
    timings: { totalMs: 1 },
    citations: [{ n: 1, source, quote, articleId: "a", passageId: "a#p1", start: 0, end: quote.length, title: "", publisher: "", published: "", url: "" }],
  });

  it("counts a fact only inside a quote, and a source only with that quote", () => {
    expect(hasFact(q, answer("Bloomberg", "within the next six months"))).toBe(true);
    expect(hasFact(q, answer("Bloomberg", "next year"))).toBe(false);
    expect(hasFactWithSource(q, answer("Reuters", "within the next six months"))).toBe(false);
    expect(hasFact(q, answer("Bloomberg", "within the next six months", false))).toBe(false);
  });

  it("computes hit@k, MRR and abstention precision and recall", () => {
    const unanswerable: EvalQuestion = { ...q, id: "u", kind: "unanswerable", passageIds: [], facts: [], sources: [] };
    const passage = (id: string) => ({ passage: { id } as never, article: {} as never, score: 1 });
    const results = new Map([
      ["x", { ranked: [passage("a#p2"), passage("a#p1")], answer: answer("Bloomberg", "six months") }],
      ["u", { ranked: [], answer: { ...answer("", "", false), citations: [] } }],
    ]);
    const s = scoreVariant("hybrid", [q, unanswerable], results, new Map([["a", { body: "six months" } as never]]));
    expect(s).toMatchObject({ hitAt1: 0, hitAt3: 1, mrr: 0.5, answerAccuracy: 1, sourceAccuracy: 1, abstentionPrecision: 1, abstentionRecall: 1, verbatimShare: 1 });
  });
});
