import { describe, expect, it } from "vitest";
import { QuestionLimits, RateLimiter } from "../../src/discord/rate-limit.js";

describe("rate limits", () => {
  it("allow a burst up to the limit and then refuse until the window slides", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take("u").ok)).toEqual([true, true, true, false]);
    now = 59_999;
    expect(limiter.take("u")).toEqual({ ok: false, retryAfterMs: 1 });
    now = 60_000;
    expect(limiter.take("u").ok).toBe(true);
  });

  it("do not count a user's refused questions against the server", () => {
    let now = 0;
    const limits = new QuestionLimits(2, 3, () => now);
    expect(limits.check("spammer", "g")).toBeUndefined();
    expect(limits.check("spammer", "g")).toBeUndefined();
    for (let i = 0; i < 10; i++) expect(limits.check("spammer", "g")).toMatch(/^You're asking faster/);
    expect(limits.check("someone-else", "g")).toBeUndefined();
    expect(limits.check("third", "g")).toMatch(/^This server is asking a lot right now/);
    now = 60_000;
    expect(limits.check("third", "g")).toBeUndefined();
  });

  it("apply a server's own lower limits, never higher ones than the global caps", () => {
    const limits = new QuestionLimits(3, 100, () => 0);
    expect(limits.check("a", "g", { userPerMin: 1 })).toBeUndefined();
    expect(limits.check("a", "g", { userPerMin: 1 })).toMatch(/^You're asking faster/);
    // A server asking for 50 per user still gets the global 3.
    for (let i = 0; i < 3; i++) expect(limits.check("b", "g", { userPerMin: 50 })).toBeUndefined();
    expect(limits.check("b", "g", { userPerMin: 50 })).toMatch(/^You're asking faster/);
    expect(limits.check("c", "h", { guildPerMin: 1 })).toBeUndefined();
    expect(limits.check("d", "h", { guildPerMin: 1 })).toMatch(/^This server is asking a lot right now/);
  });
});
