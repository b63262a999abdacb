import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors.js";
import { createLogger } from "../src/log.js";
import { createScrubber, REDACTED } from "../src/scrub.js";

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
});

describe("the logger", () => {
  const capture = (secrets: string[]) => {
    const chunks: string[] = [];
    const log = createLogger({ level: "debug", secrets, destination: { write: (s: string) => void chunks.push(s) } });
    return { log, lines: () => chunks.join("").trim().split("\n").map((l) => JSON.parse(l) as Record<string, any>), raw: () => chunks.join("") };
  };

  it("keeps an error's message, stack and cause when secrets are configured, scrubbed", () => {
    const { log, lines } = capture(["s3cr3t", DISCORD]);
    const cause = Object.assign(new Error("EISDIR: illegal operation on a directory, read"), { code: "EISDIR" });
    log.error({ err: new AppError("CONFIG", "feedback: cannot open /data/feedback with s3cr3t", { cause }) }, "start-up failed");
    const [line] = lines();
    expect(line!.err).toMatchObject({ type: "AppError", code: "CONFIG", message: `feedback: cannot open /data/feedback with ${REDACTED}`, cause: { type: "Error", code: "EISDIR", message: "EISDIR: illegal operation on a directory, read" } });
    expect(line!.err.stack).toMatch(/^AppError: feedback: cannot open \/data\/feedback with \[redacted\]\n\s+at /);
  });

  it("redacts request bodies and authorization headers, and scrubs every line just before it is written", () => {
    const { log, raw } = capture([DISCORD]);
    const err = Object.assign(new Error(`echo: Bot ${DISCORD}`), { url: "http://127.0.0.1/api/v10/webhooks/1/tok-123/messages/@original", requestBody: { json: { content: "the user's question" } } });
    log.warn({ err, headers: { authorization: `Bot ${DISCORD}` }, url: "http://u:p4ss@h/v1" }, `discord: failed with ${DISCORD}`);
    expect(raw()).not.toContain(DISCORD);
    expect(raw()).not.toContain("tok-123");
    expect(raw()).not.toContain("p4ss");
    expect(raw()).not.toContain("the user's question");
    expect(raw()).toContain("echo: Bot [redacted]");
  });
});
