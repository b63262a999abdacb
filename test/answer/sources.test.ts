import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleSource } from "../../src/answer/format.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";

describe("naming the source when the article names no speaker", () => {
  it("says the publisher, else the article by its title, else just the article", () => {
    expect(articleSource({ publisher: "Türkiye Today", title: "Talks resume" })).toBe("Türkiye Today");
    expect(articleSource({ publisher: "", title: "Talks resume" })).toBe("the article “Talks resume”");
    expect(articleSource({ publisher: "", title: "" })).toBe("the article");
    // A title made from the first sentence is no name for the article.
    expect(articleSource({ publisher: "", title: "The talks resumed on…", body: "The talks resumed on Monday." })).toBe("the article");
  });

  describe("over the seed corpus, whose first article has no publisher and a title from its first sentence", () => {
    let dir: ReturnType<typeof scratch>;
    let core: AnswerService;
    beforeAll(async () => {
      dir = scratch({ corpus: false });
      core = await openAnswerService(testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir }), memoryLogger());
    });
    afterAll(async () => {
      await core.close();
      dir.cleanup();
    });

    it("never shows an article id as the source of a quote", async () => {
      const answer = await core.ask("Why has the Armenia–Turkey border remained closed?");
      expect(answer.answered).toBe(true);
      for (const c of answer.citations) expect(c.source).not.toBe(c.articleId);
      expect(answer.answer).not.toMatch(/^pashinyan-putin-railways:/m);
      expect(answer.citations.some((c) => c.source === "the article")).toBe(true);
    });
  });
});
