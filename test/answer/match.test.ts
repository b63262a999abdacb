import { describe, expect, it } from "vitest";
import { findVerbatim, nearMatch, normalizeForMatch } from "../../src/answer/match.js";

const TEXT = "Bloomberg reported earlier this month that Turkey could reopen the border “within the next six months.”";

describe("matching quotes against corpus text", () => {
  it("folds whitespace and quote marks, keeping a map back to the original offsets", () => {
    const { norm, map } = normalizeForMatch("a  “b”\n c");
    expect(norm).toBe('a "b" c');
    expect(map).toEqual([0, 1, 3, 4, 5, 6, 8]);
  });

  it("finds a quote despite straight quotes and extra spaces, and returns the corpus offsets", () => {
    const hit = findVerbatim('Turkey could  reopen the border "within the next six months."', TEXT)!;
    expect(TEXT.slice(hit.start, hit.end)).toBe("Turkey could reopen the border “within the next six months.”");
    expect(findVerbatim("“within the next six months”", TEXT)).toBeDefined();
    expect(findVerbatim("within the next five months", TEXT)).toBeUndefined();
  });

  it("finds the closest span of a near quote and the words that differ", () => {
    const near = nearMatch("Turkey might reopen the border within the next nine months", TEXT)!;
    expect(near.similarity).toBeGreaterThan(0.75);
    expect(near.similarity).toBeLessThan(1);
    expect(TEXT.slice(near.start, near.end)).toBe("Turkey could reopen the border “within the next six months");
    expect(near.missing).toEqual(["might", "nine"]);
    expect(near.extra).toEqual(["could", "six"]);
  });

  it("has nothing near for unrelated text", () => {
    expect(nearMatch("green cheese moon", TEXT)).toBeUndefined();
  });
});
