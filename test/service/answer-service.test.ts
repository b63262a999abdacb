import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerContext, Answerer } from "../../src/answer/answerer.js";
import { askInConversation, asTurn } from "../../src/conversation/ask.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";

describe("the service reads each question once", () => {
  const dir = scratch();
  let core: AnswerService;
  const seen: AnswerContext[] = [];
  beforeAll(async () => {
    // The answerer the service hands each question to, as it is handed over.
    const answerer = (inner: Answerer): Answerer => ({
      name: inner.name,
      answer: (ctx) => (seen.push(ctx), inner.answer(ctx)),
    });
    core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), { ...memoryLogger(), answerer });
  });
  afterAll(async () => {
    await core.close();
    dir.cleanup();
  });

  it("hands the answerer the cleaned question with its terms, vector and answer type", async () => {
    seen.length = 0;
    const answer = await core.ask("<@123> When could the Armenia–Turkey border\u200b reopen?");
    expect(answer.question).toBe("When could the Armenia–Turkey border reopen?");
    const [ctx] = seen;
    expect(ctx?.query).toMatchObject({
      text: "When could the Armenia–Turkey border reopen?",
      terms: ["armenia", "turkei", "border", "reopen"],
      type: { kind: "date" },
      cue: "time",
    });
    expect(ctx?.query.vector.some((x) => x !== 0)).toBe(true);
    expect(ctx?.query.asked).toBeUndefined();
  });

  it("reads a follow-up as resolved for search, with the question as asked beside it", async () => {
    const first = "Which railway are Türkiye and Armenia holding talks on reopening?";
    const a1 = await core.ask(first);
    seen.length = 0;
    const r = await askInConversation(core, "and when did the talks take place?", [asTurn(first, { answer: a1, query: first })]);
    const [ctx] = seen;
    expect(ctx?.query.text).toBe(r.query);
    expect(ctx?.query.asked?.text).toBe("and when did the talks take place?");
    expect(ctx?.query.asked?.terms).toEqual(["talk", "take", "place"]);
  });
});
