import { describe, expect, it } from "vitest";
import type { Answer, Citation } from "../../src/answer/answer.js";
import { escapeText, pack, renderAnswer } from "../../src/discord/render.js";

const citation = (n: number, quote: string): Citation => ({
  n,
  source: n % 2 ? "Putin" : "the Foreign Ministry",
  quote,
  articleId: "a",
  passageId: `a#p${n}`,
  start: 0,
  end: quote.length,
  title: "A title",
  publisher: "Example News",
  published: "2025-11-29",
  url: "https://example.com/a",
});

const answer = (citations: Citation[]): Answer => ({
  question: "What happened?",
  answered: true,
  answer: "",
  citations,
  related: [],
  confidence: 0.9,
  timings: { totalMs: 1 },
});

describe("rendering answers for Discord", () => {
  it("splits a 3,000-character answer between citations, never inside a quote", () => {
    const quotes = Array.from({ length: 6 }, (_, i) => `Quote ${i + 1}: ${"word ".repeat(96)}end.`);
    const messages = renderAnswer(answer(quotes.map((q, i) => citation(i + 1, q))));
    expect(messages.join("").length).toBeGreaterThan(3000);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(2000);
    for (const q of quotes) expect(messages.filter((m) => m.includes(q))).toHaveLength(1);
    expect(messages[0]!.startsWith("**Q:** What happened?")).toBe(true);
    expect(messages.join("\n\n")).toContain("> **The Foreign Ministry:** Quote 2");
  });

  it("cuts a single quote too long for one message with an ellipsis instead of splitting it", () => {
    const messages = renderAnswer(answer([citation(1, "x".repeat(5000))]));
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(2000);
    expect(messages.join("")).toContain("x…");
  });

  it("neutralises mentions and markdown in echoed text", () => {
    expect(escapeText("@everyone *bold* <@123> <#456> @here")).toBe("@\u200beveryone \\*bold\\* <\u200b@\u200b123> <\u200b#456> @\u200bhere");
  });

  it("keeps a masked link in a question from becoming a link", () => {
    const escaped = escapeText("[free nitro](https://evil.example) # Heading");
    expect(escaped).not.toMatch(/(?<!\\)\[free nitro(?<!\\)\]\(/);
    expect(escaped).toContain("\\[free nitro\\]");
  });

  it("packs blocks greedily and keeps each block whole", () => {
    expect(pack(["a".repeat(10), "b".repeat(10), "c".repeat(10)], 22)).toEqual(["a".repeat(10) + "\n\n" + "b".repeat(10), "c".repeat(10)]);
  });
});
