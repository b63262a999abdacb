import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { closedPort } from "../helpers/net.js";
import { FakeOpenAI } from "../helpers/openai-server.js";

const Q = "When could the Armenia–Turkey border reopen?";
const BLOOMBERG = "pashinyan-putin-railways#p13";
const QUOTE = "Turkey could reopen the border “within the next six months.”";
const GOOD = JSON.stringify({
  answer: "It could reopen within six months [1].",
  claims: [{ marker: 1, passageId: BLOOMBERG, quote: QUOTE, source: "Bloomberg" }],
});

describe("the LLM answerer against a local model server", () => {
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  const open = async (env: Record<string, string>) => {
    const logger = memoryLogger();
    const config = testConfig({
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "1500",
      ...env,
    });
    return { core: await openAnswerService(config, { log: logger.log }), logs: () => logger.lines().map((l) => String(l["msg"])) };
  };

  beforeAll(async () => {
    llm = new FakeOpenAI();
    await llm.start();
    dir = scratch({ corpus: false });
  });
  afterAll(async () => {
    await llm.stop();
    dir.cleanup();
  });

  describe("over the OpenAI-compatible API", () => {
    let core: AnswerService;
    let logs: () => string[];
    beforeAll(async () => {
      ({ core, logs } = await open({}));
    });

    it("sends the configured model, temperature 0 and a placeholder key when none is set", async () => {
      llm.queue({ content: GOOD });
      const answer = await core.ask(Q);
      const sent = llm.requests.at(-1)!;
      expect(sent).toMatchObject({ api: "openai", path: "/v1/chat/completions", model: "fake-model", authorization: "Bearer not-needed" });
      expect(sent.body["temperature"]).toBe(0);
      expect(answer).toMatchObject({ answered: true, prose: "It could reopen within six months [1].", verification: { kept: 1, repaired: 0, dropped: 0 } });
      expect(answer.note).toBeUndefined();
    });

    it("gives the LLM answer the extractive evidence score as its confidence", async () => {
      llm.queue({ content: GOOD });
      const withLlm = await core.ask(Q);
      const { core: plain } = await open({ LLM_PROVIDER: "none" });
      expect(withLlm.confidence).toBe((await plain.ask(Q)).confidence);
    });

    it("accepts a reply wrapped in a ```json fence with text around it", async () => {
      llm.queue({ content: `Here is the answer:\n\`\`\`json\n${GOOD}\n\`\`\`\nHope this helps.` });
      const answer = await core.ask(Q);
      expect(answer.citations[0]).toMatchObject({ n: 1, quote: QUOTE, source: "Bloomberg" });
    });

    it("says so when the model finds no answer, and shows the extractive answer", async () => {
      llm.queue({ content: JSON.stringify({ answer: "The articles do not say.", claims: [] }) });
      const answer = await core.ask(Q);
      expect(answer.note).toBe("The language model found no answer in the passages; showing the extractive answer.");
      expect(answer.answered).toBe(true);
      expect(answer.citations.length).toBeGreaterThan(0);
    });

    it("falls back with a note naming the model when the server does not have it", async () => {
      llm.queue({ status: 404, error: "The model `fake-model` does not exist" });
      const answer = await core.ask(Q);
      expect(answer.note).toBe('The language model "fake-model" is not available on its server; showing the extractive answer.');
      expect(logs()).toContain(`llm: model "fake-model" not found at ${llm.baseUrl}`);
    });

    it("falls back with a note when the server rejects the key", async () => {
      llm.queue({ status: 401, error: "invalid api key" });
      const answer = await core.ask(Q);
      expect(answer.note).toBe("The language model server refused our credentials; showing the extractive answer.");
      expect(logs()).toContain(`llm: ${llm.baseUrl} refused the request (HTTP 401); check LLM_API_KEY`);
    });

    it("falls back with a note on a server error", async () => {
      llm.queue({ status: 500, error: "CUDA out of memory" });
      const answer = await core.ask(Q);
      expect(answer.note).toBe("The language model failed (HTTP 500); showing the extractive answer.");
      expect(logs().some((l) => l.startsWith(`llm: ${llm.baseUrl} answered HTTP 500: `) && l.includes("CUDA out of memory"))).toBe(true);
    });

    it("falls back when the server drops the connection", async () => {
      llm.queue({ hangUp: true });
      const answer = await core.ask(Q);
      expect(answer.note).toBe("The language model server could not be reached; showing the extractive answer.");
      expect(answer.citations.length).toBeGreaterThan(0);
    });

    it("answers from the model again after a timeout", async () => {
      llm.queue({ content: GOOD, delayMs: 10_000 }, { content: GOOD });
      const late = await core.ask(Q);
      expect(late.note).toBe("The language model did not answer within 1.5 s; showing the extractive answer.");
      expect(logs()).toContain(`llm: no reply from ${llm.baseUrl} within 1500 ms (LLM_TIMEOUT_MS)`);
      const next = await core.ask(Q);
      expect(next.note).toBeUndefined();
      expect(next.prose).toBe("It could reopen within six months [1].");
    });

    it("drops a quote from a passage that retrieval did not return, even though it is in the corpus", async () => {
      llm.queue({
        content: JSON.stringify({
          answer: "Erdogan spoke [1].",
          claims: [{ marker: 1, passageId: "kars-gyumri-railway-talks#p15", quote: "the Margara border crossing has been used twice", source: "" }],
        }),
      });
      const answer = await core.ask(Q, { filters: { articleIds: ["pashinyan-putin-railways"] } });
      expect(answer.verification).toMatchObject({ kept: 0, dropped: 1 });
      expect(answer.citations.every((c) => c.articleId === "pashinyan-putin-railways")).toBe(true);
    });
  });

  it("sends the configured API key as a bearer token", async () => {
    const { core } = await open({ LLM_API_KEY: "sk-local-test-key" });
    llm.queue({ content: GOOD });
    await core.ask(Q);
    expect(llm.requests.at(-1)!.authorization).toBe("Bearer sk-local-test-key");
  });

  it("falls back with a one-line llm: error when nothing listens at LLM_BASE_URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const { core, logs } = await open({ LLM_BASE_URL: url });
    const answer = await core.ask(Q);
    expect(answer.note).toBe("The language model server could not be reached; showing the extractive answer.");
    expect(logs()).toContain(`llm: cannot reach ${url} (ECONNREFUSED); is the server running and LLM_BASE_URL right?`);
  });

  describe("over Ollama's API", () => {
    it("asks for JSON with a context window large enough for the passages", async () => {
      const { core } = await open({ LLM_PROVIDER: "ollama", LLM_BASE_URL: llm.ollamaUrl, LLM_MODEL: "llama3.1:8b" });
      llm.queue({ content: GOOD });
      const answer = await core.ask(Q);
      const sent = llm.requests.at(-1)!;
      expect(sent).toMatchObject({ api: "ollama", model: "llama3.1:8b", body: { format: "json", options: { num_ctx: 8192, temperature: 0 } } });
      expect(sent.messages.map((m) => m.role)).toEqual(["system", "user"]);
      expect(answer).toMatchObject({ prose: "It could reopen within six months [1].", verification: { kept: 1 } });
    });

    it("suggests pulling a model Ollama does not have", async () => {
      const { core, logs } = await open({ LLM_PROVIDER: "ollama", LLM_BASE_URL: llm.ollamaUrl, LLM_MODEL: "llama9" });
      llm.queue({ status: 404, error: "model 'llama9' not found, try pulling it first" });
      const answer = await core.ask(Q);
      expect(answer.note).toBe('The language model "llama9" is not available on its server; showing the extractive answer.');
      expect(logs()).toContain(`llm: model "llama9" not found at ${llm.ollamaUrl} (try: ollama pull llama9)`);
    });

    it("stops waiting for a slow Ollama at LLM_TIMEOUT_MS", async () => {
      const { core } = await open({ LLM_PROVIDER: "ollama", LLM_BASE_URL: llm.ollamaUrl, LLM_MODEL: "llama3.1:8b", LLM_TIMEOUT_MS: "800" });
      llm.queue({ content: GOOD, delayMs: 10_000 });
      const answer = await core.ask(Q);
      expect(answer.note).toBe("The language model did not answer within 0.8 s; showing the extractive answer.");
    });
  });

  it("refuses to open without LLM_MODEL, with a one-line llm: error", async () => {
    const opening = open({ LLM_PROVIDER: "ollama", LLM_MODEL: "" });
    await expect(opening).rejects.toThrow(AppError);
    await expect(opening).rejects.toThrow(/^llm: LLM_MODEL is required when LLM_PROVIDER=ollama \(e\.g\. llama3\.1:8b\)$/);
  });
});
