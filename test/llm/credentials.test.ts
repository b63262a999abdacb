import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { FakeOpenAI } from "../helpers/openai-server.js";

const Q = "When could the Armenia–Turkey border reopen?";
const GOOD = JSON.stringify({
  answer: "It could reopen within six months [1].",
  claims: [
    { marker: 1, passageId: "pashinyan-putin-railways#p13", quote: "Turkey could reopen the border “within the next six months.”", source: "Bloomberg" },
  ],
});
const BASIC = `Basic ${Buffer.from("proxy-user:pr0xy p@ss").toString("base64")}`;

describe("a model server behind a URL with credentials", () => {
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  const withCredentials = (url: string) => url.replace("http://", `http://proxy-user:${encodeURIComponent("pr0xy p@ss")}@`);

  beforeAll(async () => {
    llm = new FakeOpenAI();
    await llm.start();
    dir = scratch({ corpus: false });
  });
  afterAll(async () => {
    await llm?.stop();
    dir?.cleanup();
  });

  it.each([
    ["openai", () => llm.baseUrl],
    ["ollama", () => llm.ollamaUrl],
  ])("answers through %s, sending the credentials as a Basic Authorization header", async (provider, url) => {
    const { log, lines } = memoryLogger();
    const core = await openAnswerService(
      testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir, LLM_PROVIDER: provider, LLM_BASE_URL: withCredentials(url()), LLM_MODEL: "fake" }),
      { log },
    );
    llm.queue({ content: GOOD });
    const answer = await core.ask(Q);
    expect(llm.requests.at(-1)).toMatchObject({ api: provider, authorization: BASIC });
    expect(answer).toMatchObject({ answered: true, prose: "It could reopen within six months [1]." });
    expect(JSON.stringify(lines())).not.toContain("pr0xy");
  });

  it("sends LLM_API_KEY instead when both are set", async () => {
    const core = await openAnswerService(
      testConfig({
        CORPUS_DIR: REPO_CORPUS,
        DATA_DIR: dir.dataDir,
        LLM_PROVIDER: "openai",
        LLM_BASE_URL: withCredentials(llm.baseUrl),
        LLM_MODEL: "fake",
        LLM_API_KEY: "sk-test-key",
      }),
      memoryLogger(),
    );
    llm.queue({ content: GOOD });
    await core.ask(Q);
    expect(llm.requests.at(-1)!.authorization).toBe("Bearer sk-test-key");
  });
});
