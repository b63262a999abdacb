import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateCorpus } from "../../bench/generate.js";
import { benchConfig, buildFigures, hnswRecallAt10, sameSource, sampleQuestions, serveFigures } from "../../bench/scale.js";
import { byKind, failures, hasFact, hasFactWithSource, scoreVariant, type EvalQuestion } from "../../bench/score.js";
import type { Answer, Citation } from "../../src/answer/answer.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { splitArticle } from "../../src/passages/split.js";
import { REPO, REPO_CORPUS, scratch } from "../helpers/core.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import type { ScoredPassage } from "../../src/retrieval/hybrid.js";

describe("the synthetic corpus generator", () => {
  const dir = scratch({ corpus: false });
  afterAll(() => dir.cleanup());

  it("writes the same articles and questions for the same seed, and different ones for another", () => {
    const a = generateCorpus(path.join(dir.root, "a"), 5, 3);
    const b = generateCorpus(path.join(dir.root, "b"), 5, 3);
    const c = generateCorpus(path.join(dir.root, "c"), 5, 4);
    const file = (d: string) => readFileSync(path.join(d, "art-000002.md"), "utf8");
    expect(file(a.dir)).toBe(file(b.dir));
    expect(a.questions).toEqual(b.questions);
    expect(file(c.dir)).not.toBe(file(a.dir));
  });

  it("writes articles of 400 to 1,300 words with front matter, each stating the facts its questions ask for once", async () => {
    const corpus = generateCorpus(path.join(dir.root, "d"), 30, 1);
    const { articles, problems } = await loadCorpus(corpus.dir);
    expect(problems).toEqual([]);
    expect(articles).toHaveLength(30);
    for (const x of articles) {
      const words = x.body.split(/\s+/).filter(Boolean).length;
      expect(words).toBeGreaterThanOrEqual(400);
      expect(words).toBeLessThanOrEqual(1300);
      expect(x.title).not.toBe("");
      expect(x.publisher).not.toBe("");
      expect(x.published).toMatch(/^2025-\d\d-\d\dT/);
    }
    expect(corpus.questions).toHaveLength(90);
    for (const q of corpus.questions) {
      const body = articles.find((x) => x.id === q.articleId)!.body;
      expect(body.split(q.fact)).toHaveLength(2);
      expect(body).toContain(q.source.replace(/^the /, ""));
    }
  });
});

describe("the benchmark harness, on 50 generated articles", () => {
  const dir = scratch({ corpus: false });
  afterAll(() => dir.cleanup());

  it("measures build, re-index, latency, accuracy and recall", async () => {
    const corpus = generateCorpus(dir.corpusDir, 50, 1);
    const config = benchConfig(dir.corpusDir, dir.dataDir, TEST_CACHE_DIR);
    const build = await buildFigures(config);
    expect(build).toMatchObject({ articles: 50 });
    expect(build.passages).toBeGreaterThan(50 * 8);
    expect(build.reindexOneS).toBeGreaterThan(0);
    expect(build.reindexEmbedded).toBeLessThan(60);
    const serve = await serveFigures(config, corpus.questions, 20);
    expect(serve.asked).toBe(20);
    expect(serve.askP50Ms).toBeLessThanOrEqual(serve.askP95Ms);
    expect(serve.askP95Ms).toBeLessThanOrEqual(serve.askP99Ms);
    for (const share of [serve.accuracy, serve.sourceAccuracy, ...Object.values(serve.accuracyByKind)]) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    expect(serve.sourceAccuracy).toBeLessThanOrEqual(serve.accuracy);
    expect(serve.peakRssMb).toBeGreaterThan(0);
    const recall = await hnswRecallAt10(config, corpus.questions, 10);
    expect(recall).toBeGreaterThan(0.9);
    expect(recall).toBeLessThanOrEqual(1);
  });

  it("samples questions in a seeded order without repeats while there are enough", () => {
    const qs = generateCorpus(path.join(dir.root, "s"), 4, 1).questions;
    const sample = sampleQuestions(qs, qs.length, 9);
    expect(new Set(sample.map((q) => q.question)).size).toBe(qs.length);
    expect(sampleQuestions(qs, 5, 9)).toEqual(sample.slice(0, 5));
    expect(sampleQuestions(qs, qs.length + 2, 9)).toHaveLength(qs.length + 2);
  });

  it("accepts a source that names the expected speaker in full or in part, never an empty one", () => {
    expect(sameSource("Ruth Dubois", "Dubois")).toBe(true);
    expect(sameSource("Dubois", "Ruth Dubois")).toBe(true);
    expect(sameSource("the Kingsport Rail Company", "Kingsport Rail Company")).toBe(true);
    expect(sameSource("Ruth Dubois", "")).toBe(false);
    expect(sameSource("Ruth Dubois", "Daily Ledger")).toBe(false);
  });
});

describe("the question set", () => {
  const questions = JSON.parse(readFileSync(path.join(REPO, "test/fixtures/questions.json"), "utf8")) as EvalQuestion[];

  it("has at least 48 questions, 10 or more the articles cannot answer, and unique ids", () => {
    expect(questions.length).toBeGreaterThanOrEqual(48);
    expect(questions.filter((q) => q.kind === "unanswerable").length).toBeGreaterThanOrEqual(10);
    for (const kind of ["direct", "paraphrase", "multi"]) expect(questions.some((q) => q.kind === kind)).toBe(true);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });

  it("expects facts that are verbatim in the passages it names, and names passages that exist", async () => {
    const { articles } = await loadCorpus(REPO_CORPUS);
    const passages = new Map(articles.flatMap((a) => splitArticle(a)).map((p) => [p.id, p.text]));
    for (const q of questions) {
      if (q.kind === "unanswerable") {
        expect([q.passageIds, q.facts], q.id).toEqual([[], []]);
        continue;
      }
      expect(q.sources.length, q.id).toBeGreaterThan(0);
      for (const id of q.passageIds) expect(passages.has(id), `${q.id}: ${id}`).toBe(true);
      for (const fact of q.facts)
        expect(
          q.passageIds.some((id) => passages.get(id)!.includes(fact)),
          `${q.id}: ${fact}`,
        ).toBe(true);
      if (q.needAll) expect(new Set(q.passageIds.map((id) => id.split("#")[0])).size, q.id).toBeGreaterThan(1);
    }
  });
});

describe("scoring the question set", () => {
  const q: EvalQuestion = { id: "x", kind: "direct", question: "?", passageIds: ["a#p1"], facts: ["six months"], sources: ["Bloomberg"] };
  const cite = (source: string, quote: string, articleId = "a"): Citation => ({
    n: 1,
    source,
    quote,
    articleId,
    passageId: `${articleId}#p1`,
    start: 0,
    end: quote.length,
    title: "",
    publisher: "",
    published: "",
    url: "",
  });
  const answer = (citations: Citation[], answered = true): Answer => ({
    question: "?",
    answered,
    answer: "",
    related: [],
    confidence: 1,
    timings: { totalMs: 1 },
    citations,
  });

  it("counts a fact only inside a quote of an answer, and a source only with that quote", () => {
    expect(hasFact(q, answer([cite("Bloomberg", "within the next six months")]))).toBe(true);
    expect(hasFact(q, answer([cite("Bloomberg", "next year")]))).toBe(false);
    expect(hasFact(q, answer([cite("Bloomberg", "within the next six months")], false))).toBe(false);
    expect(hasFactWithSource(q, answer([cite("Reuters", "within the next six months")]))).toBe(false);
    expect(hasFactWithSource(q, answer([cite("Reuters", "within the next six months"), cite("Bloomberg", "other")]))).toBe(false);
    expect(hasFactWithSource({ ...q, sources: ["*"] }, answer([cite("Reuters", "within the next six months")]))).toBe(true);
  });

  it("needs a cited fact from every article when a question needs all of them", () => {
    const both: EvalQuestion = { ...q, kind: "multi", passageIds: ["a#p1", "b#p3"], facts: ["since 1993"], sources: ["*"], needAll: true };
    expect(hasFact(both, answer([cite("", "closed since 1993", "a")]))).toBe(false);
    expect(hasFact(both, answer([cite("", "closed since 1993", "a"), cite("", "shut since 1993", "b")]))).toBe(true);
    expect(hasFact({ ...both, needAll: false }, answer([cite("", "closed since 1993", "a")]))).toBe(true);
  });

  it("computes hit@k, MRR, abstention precision and recall, verbatim share, per-kind accuracy and failures", () => {
    const unanswerable: EvalQuestion = { ...q, id: "u", kind: "unanswerable", passageIds: [], facts: [], sources: [] };
    const wrongly: EvalQuestion = { ...q, id: "w", kind: "paraphrase" };
    const passage = (id: string): ScoredPassage => ({ passage: { id } as ScoredPassage["passage"], article: {} as ScoredPassage["article"], score: 1 });
    const results = new Map([
      ["x", { ranked: [passage("a#p2"), passage("a#p1")], answer: answer([cite("Bloomberg", "six months")]) }],
      ["w", { ranked: [passage("a#p1")], answer: answer([], false) }],
      ["u", { ranked: [], answer: answer([], false) }],
    ]);
    const bodies = new Map([["a", { body: "six months" } as never]]);
    const s = scoreVariant("hybrid", [q, wrongly, unanswerable], results, bodies);
    expect(s).toMatchObject({
      hitAt1: 0.5,
      hitAt3: 1,
      mrr: 0.75,
      answerAccuracy: 0.5,
      sourceAccuracy: 0.5,
      abstentionPrecision: 0.5,
      abstentionRecall: 1,
      verbatimShare: 1,
      questions: 3,
    });
    expect(byKind([q, wrongly, unanswerable], results)).toEqual({ direct: 1, paraphrase: 0, multi: 0, "unanswerable (abstained)": 1 });
    expect(failures([q, wrongly, unanswerable], results)).toEqual([{ id: "w", question: "?", why: "abstained" }]);
    const misquoted = new Map([...results, ["x", { ranked: [], answer: answer([{ ...cite("Bloomberg", "six months"), start: 1 }]) }]]);
    expect(scoreVariant("hybrid", [q], misquoted, bodies).verbatimShare).toBe(0);
  });
});
