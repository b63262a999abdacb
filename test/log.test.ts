import { describe, expect, it } from "vitest";
import { AppError } from "../src/errors.js";
import { UserError } from "../src/discord/command.js";
import { createLogger, userHash } from "../src/log.js";

/** A logger writing into an array, JSON or pretty. */
function capture(pretty: boolean) {
  const chunks: string[] = [];
  const log = createLogger({ level: "info", pretty, destination: { write: (s: string) => void chunks.push(s) } });
  return { log, text: () => chunks.join("") };
}

describe("logs", () => {
  it("hash a Discord user id to the same short token every time, and different users to different tokens", () => {
    const a = userHash("800000000000000600");
    expect(a).toMatch(/^[0-9a-f]{10}$/);
    expect(userHash("800000000000000600")).toBe(a);
    expect(userHash("800000000000000601")).not.toBe(a);
  });

  it("never carry a raw user id in a user field, but keep the bot's own tag", () => {
    const { log, text } = capture(false);
    log.info({ user: "800000000000000600", answerId: "a1" }, "discord: feedback");
    log.info({ user: "newsbot#0" }, "discord: ready");
    const [feedback, ready] = text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { user: string });
    expect(feedback!.user).toBe(userHash("800000000000000600"));
    expect(text()).not.toContain("800000000000000600");
    expect(ready!.user).toBe("newsbot#0");
  });

  it("are one JSON object per line when not pretty, so machines can read them", () => {
    const { log, text } = capture(false);
    log.warn({ reason: "stale" }, "index: rebuilding");
    expect(JSON.parse(text())).toMatchObject({ level: 40, msg: "index: rebuilding", reason: "stale" });
  });

  it("are one readable line each when pretty: level, message and fields, no JSON envelope", () => {
    const { log, text } = capture(true);
    log.info({ added: 2, passages: 32 }, "index: built");
    const lines = text().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/INFO.*index: built.*"added":2/);
    expect(lines[0]).not.toContain('"level"');
    expect(lines[0]).not.toContain('"hostname"');
  });

  it("show an expected error by its message alone, with no stack trace", () => {
    const { log, text } = capture(true);
    log.error({ err: new AppError("LLM", "llm: LLM_MODEL is required when LLM_PROVIDER=openai") }, "start-up failed");
    log.info({ err: new UserError("rate_limited", "You're asking faster than I can keep up.") }, "discord: refused");
    expect(text().trimEnd().split("\n")).toHaveLength(2);
    expect(text()).toContain("llm: LLM_MODEL is required when LLM_PROVIDER=openai");
    expect(text()).not.toMatch(/\n\s+at /);
  });

  it("keep the stack of an unexpected error logged as an error, where it is needed to fix it", () => {
    const { log, text } = capture(true);
    log.error({ err: new TypeError("cannot read properties of undefined") }, "discord: handler failed");
    expect(text()).toMatch(/TypeError: cannot read properties of undefined\n\s+at /);
  });
});
