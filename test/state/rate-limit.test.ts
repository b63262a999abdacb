import { describe, expect, it } from "vitest";
import { memoryLimiters, QuestionLimits } from "../../src/state/rate-limit.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("rate limits", () => {
  it("allow a burst up to the limit and then refuse until the window has passed", async () => {
    const limits = new QuestionLimits(3, 100, memoryLimiters, 1);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limits.check("u", "g"));
    expect(results.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(results[3]).toBe("You're asking faster than I can keep up. Please try again in 1 s.");
    await sleep(1100);
    expect(await limits.check("u", "g")).toBeUndefined();
  });

  it("do not count a user's refused questions against the server", async () => {
    const limits = new QuestionLimits(2, 3);
    expect(await limits.check("spammer", "g")).toBeUndefined();
    expect(await limits.check("spammer", "g")).toBeUndefined();
    for (let i = 0; i < 10; i++) expect(await limits.check("spammer", "g")).toMatch(/^You're asking faster/);
    expect(await limits.check("someone-else", "g")).toBeUndefined();
    expect(await limits.check("third", "g")).toMatch(/^This server is asking a lot right now/);
    // Refused by the server's limit: "third" has used none of their own allowance.
    const fresh = new QuestionLimits(2, 100);
    expect(await fresh.check("third", "h")).toBeUndefined();
  });

  it("do not count refused questions against the user either", async () => {
    const limits = new QuestionLimits(2, 1);
    expect(await limits.check("a", "g")).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(await limits.check("a", "g")).toMatch(/^This server is asking a lot right now/);
    // Five questions refused by the server's limit took nothing from the user's 2: one more is allowed elsewhere.
    expect(await limits.check("a", "other")).toBeUndefined();
    expect(await limits.check("a", "other2")).toMatch(/^You're asking faster/);
  });

  it("apply a server's own lower limits, never higher ones than the global caps", async () => {
    const limits = new QuestionLimits(3, 100);
    expect(await limits.check("a", "g", { userPerMin: 1 })).toBeUndefined();
    expect(await limits.check("a", "g", { userPerMin: 1 })).toMatch(/^You're asking faster/);
    // A server asking for 50 per user still gets the global 3.
    for (let i = 0; i < 3; i++) expect(await limits.check("b", "g", { userPerMin: 50 })).toBeUndefined();
    expect(await limits.check("b", "g", { userPerMin: 50 })).toMatch(/^You're asking faster/);
    expect(await limits.check("c", "h", { guildPerMin: 1 })).toBeUndefined();
    expect(await limits.check("d", "h", { guildPerMin: 1 })).toMatch(/^This server is asking a lot right now/);
  });
});
