import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Citation } from "../../src/answer/answer.js";
import { ABSTAIN_TEXT } from "../../src/answer/extractive.js";
import { addressesQuestion } from "../../src/llm/answerability.js";
import { OFF_TOPIC_NOTE } from "../../src/llm/answerer.js";
import { rejectsStructuredOutput, REPLY_TOOL } from "../../src/llm/chat-model.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { FakeOpenAI } from "../helpers/openai-server.js";
import type { ScoredPassage } from "../../src/retrieval/hybrid.js";
import { queryOf } from "../../src/retrieval/query.js";

const Q = "When could the Armenia–Turkey border reopen?";
const BLOOMBERG = "pashinyan-putin-railways#p13";
const QUOTE = "Turkey could reopen the border “within the next six months.”";
/** A real sentence of a retrieved passage that says nothing of the border or when it opens. */
const RAILWAYS = "pashinyan-putin-railways#p4";
const OFF_TOPIC_QUOTE = "The agenda for restoring some other railway sections in our country has also matured.";

const reply = (body: Record<string, unknown>) => ({ content: JSON.stringify(body) });
const GOOD = {
  answerable: true,
  reason: "",
  answer: "It could reopen within six months [1].",
  claims: [{ marker: 1, passageId: BLOOMBERG, quote: QUOTE, source: "Bloomberg" }],
};
const NOT_ANSWERABLE = { answerable: false, reason: "The passages report talks, not a date for the border.", answer: "", claims: [] };
const OFF_TOPIC = {
  answerable: true,
  reason: "",
  answer: "Pashinyan said the agenda for restoring other railway sections has matured [1].",
  claims: [{ marker: 1, passageId: RAILWAYS, quote: OFF_TOPIC_QUOTE, source: "Pashinyan" }],
};

describe("the LLM deciding answerability, against a local OpenAI-compatible server", () => {
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  const open = async (env: Record<string, string> = {}) => {
    const logger = memoryLogger();
    const config = testConfig({
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "3000",
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

  describe("with a server that ignores tools and answers in text", () => {
    let core: AnswerService;
    beforeAll(async () => {
      ({ core } = await open());
    });

    it("declines with the standard abstention, the model's reason and related passages when the model says the passages do not answer", async () => {
      llm.queue(reply(NOT_ANSWERABLE));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: false, answer: ABSTAIN_TEXT, citations: [], confidence: 0 });
      expect(a.note).toBe("The language model found that the passages do not answer the question: The passages report talks, not a date for the border.");
      expect(a.answerability).toEqual({ answerable: false, reason: NOT_ANSWERABLE.reason, declined: "model" });
      expect(a.related.length).toBeGreaterThan(0);
      expect(a.prose).toBeUndefined();
    });

    it("declines the model's no even when the extractive answerer would have answered", async () => {
      const { core: plain } = await open({ LLM_PROVIDER: "none" });
      expect((await plain.ask(Q)).answered).toBe(true);
      llm.queue(reply({ answerable: "no", reason: "" }));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: false, answer: ABSTAIN_TEXT, note: "The language model found that the passages do not answer the question." });
    });

    it("shows at most 200 characters of the model's reason, on one line", async () => {
      llm.queue(reply({ ...NOT_ANSWERABLE, reason: `Nothing here.\n${"word ".repeat(200)}` }));
      const a = await core.ask(Q);
      expect(a.answerability!.reason.length).toBeLessThanOrEqual(200);
      expect(a.answerability!.reason.length).toBeGreaterThan(190);
      expect(a.answerability!.reason).toMatch(/^Nothing here\. word word .*…$/);
      expect(a.note).toBe(`The language model found that the passages do not answer the question: ${a.answerability!.reason}.`);
    });

    it("declines an answer built from real quotes that do not address the question", async () => {
      llm.queue(reply(OFF_TOPIC));
      const a = await core.ask(Q);
      // The quote is real and retrieved: verification keeps it, and the answer is still declined.
      expect(a.verification).toMatchObject({ kept: 1, repaired: 0, dropped: 0 });
      expect(a).toMatchObject({ answered: false, answer: ABSTAIN_TEXT, citations: [], confidence: 0, note: OFF_TOPIC_NOTE });
      expect(a.answerability).toEqual({ answerable: true, reason: "", declined: "off-topic" });
      expect(a.related.length).toBeGreaterThan(0);
      expect(a.answer).not.toContain("railway");
    });

    it("declines an off-topic answer from a model that gives no verdict (an older prompt's reply)", async () => {
      const { answerable: _a, reason: _r, ...legacy } = OFF_TOPIC;
      llm.queue(reply(legacy));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: false, answer: ABSTAIN_TEXT, note: OFF_TOPIC_NOTE, answerability: { declined: "off-topic" } });
    });

    it("answers a good reply and carries the model's verdict", async () => {
      llm.queue(reply(GOOD));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: true, prose: GOOD.answer, verification: { kept: 1, repaired: 0, dropped: 0 } });
      expect(a.citations[0]).toMatchObject({ passageId: BLOOMBERG, quote: QUOTE });
      expect(a.answerability).toEqual({ answerable: true, reason: "" });
      expect(a.confidence).toBeGreaterThan(0);
    });

    it("asks for the reply as a forced call of a tool whose parameters are the reply schema, verdict first", async () => {
      llm.queue(reply(GOOD));
      await core.ask(Q);
      const body = llm.requests.at(-1)!.body as {
        tools?: Array<{ type: string; function: { name: string; parameters: { properties: Record<string, unknown>; required: string[] } } }>;
        tool_choice?: unknown;
      };
      expect(body.tools).toHaveLength(1);
      expect(body.tools![0]).toMatchObject({ type: "function", function: { name: REPLY_TOOL } });
      const params = body.tools![0]!.function.parameters;
      expect(Object.keys(params.properties)).toEqual(["answerable", "reason", "answer", "claims"]);
      expect(params.required).toEqual(expect.arrayContaining(["answerable", "reason", "answer", "claims"]));
      expect(body.tool_choice).toEqual({ type: "function", function: { name: REPLY_TOOL } });
    });
  });

  describe("with a server that makes the tool call", () => {
    let core: AnswerService;
    beforeAll(async () => {
      llm.toolCalls = true;
      ({ core } = await open());
    });
    afterAll(() => {
      llm.toolCalls = false;
    });

    it("reads the reply from the call's arguments", async () => {
      llm.queue(reply(GOOD));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: true, prose: GOOD.answer, answerability: { answerable: true } });
      expect(a.note).toBeUndefined();
    });

    it("drops a malformed claim in the call on its own and keeps the rest", async () => {
      llm.queue(reply({ ...GOOD, claims: [...GOOD.claims, { marker: 0, passageId: BLOOMBERG }] }));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: true, prose: GOOD.answer, verification: { kept: 1, dropped: 1 } });
    });

    it("declines when the call says the passages do not answer", async () => {
      llm.queue(reply(NOT_ANSWERABLE));
      const a = await core.ask(Q);
      expect(a).toMatchObject({ answered: false, answer: ABSTAIN_TEXT, answerability: { answerable: false, declined: "model" } });
    });
  });

  it("asks again in text, and only in text from then on, when the server turns tools down", async () => {
    const { core, logs } = await open();
    const before = llm.requests.length;
    llm.queue({ status: 400, error: "tools are not supported by this server" }, reply(GOOD), reply(NOT_ANSWERABLE));
    const first = await core.ask(Q);
    expect(first).toMatchObject({ answered: true, prose: GOOD.answer, answerability: { answerable: true } });
    const second = await core.ask(Q);
    expect(second).toMatchObject({ answered: false, answerability: { declined: "model" } });
    const sent = llm.requests.slice(before);
    expect(sent.map((r) => "tools" in r.body)).toEqual([true, false, false]);
    expect(logs().filter((l) => l.includes("does not take tool calls"))).toEqual([
      `llm: ${llm.baseUrl} does not take tool calls; asking for JSON in the reply text from now on`,
    ]);
  });

  it("still falls back to the extractive answer on a server error that is not about tools", async () => {
    const { core } = await open();
    llm.queue({ status: 400, error: "the prompt is too long for this model" });
    const a = await core.ask(Q);
    expect(a).toMatchObject({ answered: true, note: "The language model failed (HTTP 400); showing the extractive answer." });
  });

  it("decides answerability over Ollama's API too, asking for JSON in the text", async () => {
    const { core } = await open({ LLM_PROVIDER: "ollama", LLM_BASE_URL: llm.ollamaUrl, LLM_MODEL: "llama3.1:8b" });
    llm.queue(reply(NOT_ANSWERABLE));
    const a = await core.ask(Q);
    const sent = llm.requests.at(-1)!;
    expect(sent).toMatchObject({ api: "ollama", body: { format: "json" } });
    expect(sent.body["tools"]).toBeUndefined();
    expect(a).toMatchObject({ answered: false, answer: ABSTAIN_TEXT, answerability: { declined: "model" } });
  });
});

describe("telling a server that does not take tools from one that failed", () => {
  const httpError = (status: number, message: string) => Object.assign(new Error(message), { status });

  it("reads the refusals of Ollama, llama.cpp and OpenRouter, whatever their status", () => {
    expect(rejectsStructuredOutput(httpError(400, "registry.ollama.ai/library/gemma3:270m does not support tools"))).toBe(true);
    expect(rejectsStructuredOutput(httpError(500, "500 tools param requires --jinja flag"))).toBe(true);
    expect(rejectsStructuredOutput(httpError(500, "Unsupported param: tool_choice"))).toBe(true);
    expect(rejectsStructuredOutput(httpError(404, "No endpoints found that support tool use"))).toBe(true);
  });

  it("leaves other failures to the extractive fallback, even an HTTP 400", () => {
    expect(rejectsStructuredOutput(httpError(400, "the request exceeds the available context size"))).toBe(false);
    expect(rejectsStructuredOutput(httpError(500, "CUDA out of memory"))).toBe(false);
    expect(rejectsStructuredOutput(httpError(404, "The model `fake-model` does not exist"))).toBe(false);
    expect(rejectsStructuredOutput(new Error("tools are not supported (no status: not from the server)"))).toBe(false);
  });
});

describe("whether verified quotes address the question", () => {
  const body =
    "Bloomberg reported earlier this month that Turkey could reopen the border within the next six months. The agenda for restoring railway sections has matured.";
  const [s1, s2] = [body.slice(0, body.indexOf(" The agenda")), body.slice(body.indexOf("The agenda"))];
  const start2 = body.indexOf("The agenda");
  const passage: ScoredPassage = {
    passage: {
      id: "a#p1",
      articleId: "a",
      n: 1,
      kind: "paragraph",
      start: 0,
      end: body.length,
      text: body,
      sentences: [
        { id: "a#p1.s1", start: 0, end: s1!.length, text: s1! },
        { id: "a#p1.s2", start: start2, end: body.length, text: s2! },
      ],
    },
    article: { id: "a", title: "Border", publisher: "Wire", url: "", published: "2025-12-01", author: "", file: "a.md", hash: "0" },
    score: 1,
  };
  const cite = (quote: string, source = "Wire"): Citation => {
    const start = body.indexOf(quote);
    return {
      n: 1,
      source,
      quote,
      articleId: "a",
      passageId: "a#p1",
      start,
      end: start + quote.length,
      title: "Border",
      publisher: "Wire",
      published: "2025-12-01",
      url: "",
    };
  };

  it("counts the words of the whole sentence a quote comes from, not only the words quoted", () => {
    expect(addressesQuestion([queryOf(Q)], [cite("within the next six months")], [passage])).toBe(true);
    expect(addressesQuestion([queryOf(Q)], [cite("within the next six months")], [])).toBe(false);
  });

  it("finds no shared word between a border question and a sentence about railway sections", () => {
    expect(addressesQuestion([queryOf(Q)], [cite("restoring railway sections has matured")], [passage])).toBe(false);
  });

  it("counts the name a quote is attributed to, and any form of the question as asked or resolved", () => {
    expect(addressesQuestion([queryOf("What did Bloomberg report?")], [cite("restoring railway sections has matured", "Bloomberg")], [passage])).toBe(true);
    expect(
      addressesQuestion(
        [queryOf("and those?"), queryOf("Which railway sections are being restored?")],
        [cite("restoring railway sections has matured")],
        [passage],
      ),
    ).toBe(true);
  });

  it("credits the words the offline answerer bridges a question word to, such as a synonym", () => {
    const text = "The minister resigned on Tuesday.";
    const own: ScoredPassage = {
      ...passage,
      passage: { ...passage.passage, id: "b#p1", articleId: "b", text, end: text.length, sentences: [{ id: "b#p1.s1", start: 0, end: text.length, text }] },
    };
    const c: Citation = {
      ...cite("restoring railway sections has matured"),
      articleId: "b",
      passageId: "b#p1",
      quote: "resigned on Tuesday",
      start: 13,
      end: text.length - 1,
    };
    expect(addressesQuestion([queryOf("Why did she quit?")], [c], [own])).toBe(true);
    expect(addressesQuestion([queryOf("Why did she sing?")], [c], [own])).toBe(false);
  });

  it("lets through a question of stop words alone, which names nothing a quote could miss", () => {
    expect(addressesQuestion([queryOf("What is it?")], [cite("restoring railway sections has matured")], [passage])).toBe(true);
  });
});
