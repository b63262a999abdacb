import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveFollowUp } from "../../src/conversation/followup.js";
import { historyBlock } from "../../src/llm/prompts.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { FakeOpenAI } from "../helpers/openai-server.js";

const KARS_P2 = "kars-gyumri-railway-talks#p2";

describe("follow-ups with an LLM, against a local OpenAI-compatible server", () => {
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;

  beforeAll(async () => {
    llm = new FakeOpenAI();
    await llm.start();
    dir = scratch();
    const config = testConfig({
      CORPUS_DIR: dir.corpusDir,
      DATA_DIR: dir.dataDir,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake-model",
      HISTORY_MAX_TOKENS: "120",
    });
    core = await openAnswerService(config, { log: memoryLogger().log });
  });
  afterAll(async () => {
    await llm?.stop();
    dir?.cleanup();
  });

  it("puts the earlier turns in the prompt, newest first within the token budget, and still verifies every quote", async () => {
    const history = [
      {
        question: "An old question that no longer fits the budget about something else entirely, long enough to be dropped?",
        answer: "An old answer ".repeat(20),
      },
      {
        question: "Which railway are Türkiye and Armenia holding talks on <reopening>?",
        answer:
          "Türkiye: officials from Ankara and Yerevan held a second round of technical talks on rehabilitating and reopening the long-closed Kars–Gyumri railway [1]",
      },
    ];
    const turns = [
      {
        question: history[1]!.question,
        query: history[1]!.question,
        answered: true,
        citations: [
          {
            passageId: "kars-gyumri-railway-talks#p1",
            articleId: "kars-gyumri-railway-talks",
            source: "Türkiye",
            quote: "officials from Ankara and Yerevan held a second round of technical talks",
          },
        ],
      },
    ];
    const r = resolveFollowUp("and when did the talks take place?", turns);
    llm.queue({
      content: JSON.stringify({
        answer: "Türkiye said on Thursday that the second round had been held [1]. Both sides signed a railway treaty [2].",
        claims: [
          { marker: 1, passageId: KARS_P2, quote: "officials from Ankara and Yerevan held a second round of technical talks", source: "Türkiye" },
          { marker: 2, passageId: KARS_P2, quote: "the two countries signed a railway treaty on the same day", source: "Türkiye" },
        ],
      }),
    });
    const answer = await core.ask(r.query, { prefer: r.prefer, history, asked: "and when did the talks take place?" });
    const user = llm.requests.at(-1)!.messages.find((m) => m.role === "user")!.content;
    expect(user).toMatch(/^Earlier turns of this conversation/);
    expect(user).toContain("<question>Which railway are Türkiye and Armenia holding talks on ‹reopening›?</question>");
    expect(user).not.toContain("An old question");
    // The model answers the question as asked; the resolved one was for search.
    expect(user).toContain("<question>\nand when did the talks take place?\n</question>");
    expect(user.indexOf("</earlier-turns>")).toBeLessThan(user.indexOf("<passages>"));
    expect(answer.answered).toBe(true);
    expect(answer.citations.map((c) => c.quote)).toEqual(["officials from Ankara and Yerevan held a second round of technical talks"]);
    for (const c of answer.citations) expect(core.getPassage(c.passageId)!.article.body.slice(c.start, c.end)).toBe(c.quote);
    expect(answer.verification).toMatchObject({ kept: 1, dropped: 1 });
  });

  it("leaves the prompt as it was without history", () => {
    expect(historyBlock(undefined, 1000)).toBe("");
    expect(historyBlock([{ question: "q", answer: "a" }], 0)).toBe("");
  });
});
