import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { turnCorrect, type Conversation } from "../../bench/score-conversations.js";
import { askInConversation, asTurn } from "../../src/conversation/ask.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";

const conversations = JSON.parse(readFileSync(path.join(REPO, "test/fixtures/conversations.json"), "utf8")) as Conversation[];

describe("the two-turn conversation set", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  beforeAll(async () => {
    dir = scratch();
    core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), { log: memoryLogger().log });
  });
  afterAll(() => dir?.cleanup());

  it("has at least 30 two-turn conversations", () => {
    expect(conversations.length).toBeGreaterThanOrEqual(30);
    for (const c of conversations) expect(c.turns).toHaveLength(2);
  });

  it("answers follow-ups far better with the first turn as context than alone, every quote verbatim", async () => {
    let alone = 0;
    let followUp = 0;
    for (const c of conversations) {
      const [t1, t2] = c.turns as [Conversation["turns"][number], Conversation["turns"][number]];
      const a1 = await core.ask(t1.question);
      if (turnCorrect(t2, await core.ask(t2.question))) alone++;
      const r = await askInConversation(core, t2.question, [asTurn(t1.question, { answer: a1, query: t1.question })]);
      if (turnCorrect(t2, r.answer)) followUp++;
      for (const cit of r.answer.citations) expect(core.getPassage(cit.passageId)!.article.body.slice(cit.start, cit.end)).toBe(cit.quote);
    }
    // Measured 20/37 with context against 9/37 alone (npm run eval:conversations), with a margin so that
    // small changes to the answerer do not fail it.
    expect(followUp / conversations.length).toBeGreaterThanOrEqual(0.45);
    expect(followUp - alone).toBeGreaterThanOrEqual(Math.ceil(conversations.length * 0.15));
  });
});
