import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../src/answer/answer.js";
import { AppError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { createScrubber, REDACTED } from "../src/scrub.js";
import { TEST_CACHE_DIR } from "./global-setup.js";
import { REPO, REPO_CORPUS, scratch } from "./helpers/core.js";
import { FakeOpenAI } from "./helpers/openai-server.js";

/** `[redacted]` glued to a letter or digit: a word was cut to remove a secret. */
const CUT_WORD = /[\p{L}\p{N}]\[redacted\]|\[redacted\][\p{L}\p{N}]/u;

const DISCORD = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";

describe("scrubbing what people and logs see", () => {
  const scrub = createScrubber(["pw1", "a-much-longer-configured-secret", "", undefined]);

  it("removes every configured secret, however short, also JSON-escaped or URL-encoded", () => {
    expect(scrub("key pw1 and a-much-longer-configured-secret")).toBe(`key ${REDACTED} and ${REDACTED}`);
    expect(createScrubber(['q"t\\x'])(JSON.stringify({ k: 'q"t\\x' }))).toBe(`{"k":"${REDACTED}"}`);
    expect(createScrubber(["a b&c"])("?key=a%20b%26c")).toBe(`?key=${REDACTED}`);
  });

  it("removes bearer tokens, Discord tokens and API keys nobody configured", () => {
    expect(scrub("Authorization: Bearer abc.DEF-123_x")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(scrub(`Bot ${DISCORD}`)).toBe(`Bot ${REDACTED}`);
    expect(scrub(`token ${DISCORD} leaked`)).toBe(`token ${REDACTED} leaked`);
    expect(scrub("key sk-proj-abcdefghijklmnop1234")).toBe(`key ${REDACTED}`);
    expect(scrub("Bot is ready; Bearer of news")).toBe("Bot is ready; Bearer of news");
  });

  it("removes credentials in URLs and the token segment of webhook and interaction URLs", () => {
    expect(scrub("GET http://user:pass@127.0.0.1:8000/v1 failed")).toBe(`GET http://${REDACTED}@127.0.0.1:8000/v1 failed`);
    expect(scrub("PATCH https://discord.com/api/v10/webhooks/900000000000000001/aW50ZXJhY3Rpb246MTIz.abc/messages/@original")).toBe(
      `PATCH https://discord.com/api/v10/webhooks/900000000000000001/${REDACTED}/messages/@original`,
    );
    expect(scrub("/interactions/950000000000000001/tok-950000000000000001/callback")).toBe(`/interactions/950000000000000001/${REDACTED}/callback`);
  });

  it("removes a secret only as a whole token, never from inside a word", () => {
    const x = createScrubber(["x"]);
    const note = "None of the language model's sentences were supported by the quotes it cited; showing the extractive answer.";
    expect(x(note)).toBe(note);
    expect(x("LLM_API_KEY=x sent as Authorization: Bearer x, x-request-id 7, six or Xavier")).toBe(
      `LLM_API_KEY=${REDACTED} sent as Authorization: Bearer ${REDACTED}, x-request-id 7, six or Xavier`,
    );
    expect(x('{"apiKey":"x","text":"next"}')).toBe(`{"apiKey":"${REDACTED}","text":"next"}`);
    expect(scrub("pw1 in pw12, apw1 and pw1.")).toBe(`${REDACTED} in pw12, apw1 and ${REDACTED}.`);
    expect(createScrubber(["#secret!"])("a#secret!b")).toBe(`a${REDACTED}b`);
  });
});

describe("a placeholder key, LLM_API_KEY=x, through the CLI", () => {
  const run = promisify(execFile);
  const Q = "When could the Armenia–Turkey border reopen?";
  const QUOTE = "Turkey could reopen the border “within the next six months.”";
  const reply = (answer: string) => ({
    content: JSON.stringify({ answer, claims: [{ marker: 1, passageId: "pashinyan-putin-railways#p13", quote: QUOTE, source: "Bloomberg" }] }),
  });
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  let answers: Answer[];
  let stderr: string;

  beforeAll(async () => {
    llm = new FakeOpenAI();
    await llm.start();
    dir = scratch({ corpus: false });
    // An unsupported sentence (the extractive fallback's note), a supported one, then a server error that echoes the key.
    llm.queue(
      reply("Turkey has permanently sealed the border with Armenia, Bloomberg reported [1]."),
      reply("Bloomberg reported that Turkey could reopen the border within six months [1]."),
      { status: 500, error: "proxy: rejected Bearer x for the next request" },
    );
    const env = {
      ...process.env,
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      CACHE_DIR: TEST_CACHE_DIR,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake-model",
      LLM_API_KEY: "x",
      LLM_TIMEOUT_MS: "10000",
      LOG_LEVEL: "debug",
    };
    const child = run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), "--json", "--stdin"], {
      cwd: REPO,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    child.child.stdin!.end(`${Q}\n${Q}\n${Q}\n`);
    const out = await child;
    answers = out.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Answer);
    stderr = out.stderr;
  });
  afterAll(async () => {
    await llm?.stop();
    dir?.cleanup();
  });

  it("cuts no word of any note, answer or log line, and still removes the key where it stands alone", () => {
    expect(llm.requests[0]!.authorization).toBe("Bearer x");
    expect(answers).toHaveLength(3);
    expect(answers[0]!.note).toBe("None of the language model's sentences were supported by the quotes it cited; showing the extractive answer.");
    expect(answers[1]!.prose).toBe("Bloomberg reported that Turkey could reopen the border within six months [1].");
    for (const a of answers) expect(JSON.stringify(a)).not.toMatch(CUT_WORD);
    expect(stderr.length).toBeGreaterThan(0);
    expect(stderr).not.toMatch(CUT_WORD);
    expect(stderr).not.toMatch(/Bearer x\b/);
  });
});

describe("the logger", () => {
  const capture = (secrets: string[]) => {
    const chunks: string[] = [];
    const log = createLogger({ level: "debug", secrets, destination: { write: (s: string) => void chunks.push(s) } });
    return {
      log,
      lines: () =>
        chunks
          .join("")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as Record<string, any>),
      raw: () => chunks.join(""),
    };
  };

  it("keeps an error's message, stack and cause when secrets are configured, scrubbed", () => {
    const { log, lines } = capture(["s3cr3t", DISCORD]);
    const cause = Object.assign(new Error("EISDIR: illegal operation on a directory, read"), { code: "EISDIR" });
    log.error({ err: new AppError("CONFIG", "feedback: cannot open /data/feedback with s3cr3t", { cause }) }, "start-up failed");
    const [line] = lines();
    expect(line!.err).toMatchObject({
      type: "AppError",
      code: "CONFIG",
      message: `feedback: cannot open /data/feedback with ${REDACTED}`,
      cause: { type: "Error", code: "EISDIR", message: "EISDIR: illegal operation on a directory, read" },
    });
    expect(line!.err.stack).toMatch(/^AppError: feedback: cannot open \/data\/feedback with \[redacted\]\n\s+at /);
  });

  it("redacts request bodies and authorization headers, and scrubs every line just before it is written", () => {
    const { log, raw } = capture([DISCORD]);
    const err = Object.assign(new Error(`echo: Bot ${DISCORD}`), {
      url: "http://127.0.0.1/api/v10/webhooks/1/tok-123/messages/@original",
      requestBody: { json: { content: "the user's question" } },
    });
    log.warn({ err, headers: { authorization: `Bot ${DISCORD}` }, url: "http://u:p4ss@h/v1" }, `discord: failed with ${DISCORD}`);
    expect(raw()).not.toContain(DISCORD);
    expect(raw()).not.toContain("tok-123");
    expect(raw()).not.toContain("p4ss");
    expect(raw()).not.toContain("the user's question");
    expect(raw()).toContain("echo: Bot [redacted]");
  });
});
