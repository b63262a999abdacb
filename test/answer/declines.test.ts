import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSEST_LABEL, renderAnswerText } from "../../src/answer/format.js";
import { renderAnswer } from "../../src/discord/render.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";

describe("declines that still help, answers that show their doubt", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  beforeAll(async () => {
    dir = scratch({ corpus: false });
    core = await openAnswerService(testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir, ANSWER_DOUBT_BELOW: "0.99" }), memoryLogger());
  });
  afterAll(() => dir.cleanup());

  it("quotes the sentence that came closest when it declines, verbatim, and says it does not answer", async () => {
    const a = await core.ask("How many passengers used the Kars–Gyumri railway in 1992?");
    expect(a.answered).toBe(false);
    expect(a.citations).toEqual([]);
    expect(a.closest).toBeDefined();
    const c = a.closest!;
    expect(core.getPassage(c.passageId)?.article.body.slice(c.start, c.end)).toBe(c.quote);
    const text = renderAnswerText(a);
    expect(text).toContain(`${CLOSEST_LABEL}:`);
    expect(text).toContain(c.quote);
    expect(renderAnswer(a).join("\n")).toContain(CLOSEST_LABEL);
  });

  it("reports no confidence for a decline: a rejected sentence's score is no confidence in anything shown", async () => {
    const a = await core.ask("What is the annual budget of the Armenian railway operator?");
    expect(a.answered).toBe(false);
    expect(a.confidence).toBe(0);
  });

  it("says an answer under the doubt bar may not answer the question", async () => {
    const a = await core.ask("When could the Armenia–Turkey border reopen?");
    expect(a.answered).toBe(true);
    expect(a.confidence).toBeLessThan(0.99);
    expect(a.note).toMatch(/may not answer your question/);
    expect(renderAnswerText(a)).toMatch(/Note: This may not answer/);
  });

  it("keeps answered, confidence and related in the JSON a script reads", async () => {
    const a = JSON.parse(JSON.stringify(await core.ask("What is the annual budget of the Armenian railway operator?"))) as Record<string, unknown>;
    expect(Object.keys(a)).toEqual(expect.arrayContaining(["answered", "confidence", "related", "closest"]));
  });
});
