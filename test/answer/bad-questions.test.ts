import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";

describe("questions that cannot be searched as they are", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  beforeAll(async () => {
    dir = scratch({ corpus: false });
    core = await openAnswerService(testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir }), memoryLogger());
  });
  afterAll(() => dir.cleanup());

  it.each([
    ["an empty question", "   ", /empty/],
    ["a 5,000-character question", "Why ".repeat(1250), /limited to 500 characters; this one has 4999/],
    ["only punctuation", "?!… —", /no words/],
    ["a question in another script", "Когда откроется граница между Арменией и Турцией?", /English/],
  ])("answers %s clearly without quoting anything", async (_name, question, message) => {
    const answer = await core.ask(question);
    expect(answer.answered).toBe(false);
    expect(answer.answer).toMatch(message);
    expect(answer.citations).toEqual([]);
  });

  it("abstains on gibberish in Latin letters and offers related passages", async () => {
    const answer = await core.ask("qwzx plorb vrrk?");
    expect(answer.answered).toBe(false);
    expect(answer.answer).toBe("I couldn't find an answer to that in the articles I have.");
  });

  it.each([
    ["a user mention", "<@123456789012345678> when could the border reopen?"],
    ["a nickname mention and a channel link", "<@!123456789012345678> <#223456789012345678> when could the border reopen?"],
    ["a role mention and custom emoji", "<@&323456789012345678> when could the border reopen? <:thinking:423456789012345678> <a:wave:523456789012345678>"],
    [
      "a masked link and a bare address",
      "when could the [border](https://example.com/a?b=c) reopen? https://example.com/news/article-123 <https://example.org/x>",
    ],
  ])("reads a question with %s as the same question without it", async (_name, decorated) => {
    const plain = await core.ask("when could the border reopen?");
    const answer = await core.ask(decorated);
    expect(plain.answered).toBe(true);
    expect(answer.question).toBe("when could the border reopen?");
    expect(answer.answered).toBe(true);
    expect(answer.citations.map((c) => c.quote)).toEqual(plain.citations.map((c) => c.quote));
  });

  it("still measures the length limit on what was sent", async () => {
    const answer = await core.ask(`<@123456789012345678> ${"<:e:423456789012345678>".repeat(30)} when could the border reopen?`);
    expect(answer.answered).toBe(false);
    expect(answer.answer).toMatch(/limited to 500 characters/);
  });

  it("filters by article, publisher and date", async () => {
    const q = "When could the Armenia–Turkey border reopen?";
    const onlyTalks = await core.search(q, { filters: { articleIds: ["kars-gyumri-railway-talks"] } });
    expect(onlyTalks.length).toBeGreaterThan(0);
    expect(onlyTalks.every((p) => p.article.id === "kars-gyumri-railway-talks")).toBe(true);
    const byPublisher = await core.search(q, { filters: { publishers: ["Türkiye Today"] } });
    expect(byPublisher.every((p) => p.article.publisher === "Türkiye Today")).toBe(true);
    const afterDecember = await core.search(q, { filters: { from: "2025-12-01" } });
    expect(afterDecember).toEqual([]);
    const november = await core.search(q, { filters: { from: "2025-11-01", to: "2025-11-30" } });
    expect(november.every((p) => p.article.id === "kars-gyumri-railway-talks")).toBe(true);
  });
});
