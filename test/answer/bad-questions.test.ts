import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../src/core.js";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";

describe("questions that cannot be searched as they are", () => {
  let dir: ReturnType<typeof scratch>;
  let core: Core;
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
