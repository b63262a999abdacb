import { describe, expect, it } from "vitest";
import { ArticleIds } from "../../src/corpus/article-ids.js";

describe("article ids", () => {
  it("give an id to the first file that claims it, and report each later file as a duplicate", () => {
    const ids = new ArticleIds();
    expect(ids.claim("a/one.md", "one")).toBe(true);
    expect(ids.claim("b/one.md", "one")).toBe(false);
    expect(ids.claim("two.txt", "two")).toBe(true);
    expect(ids.claim("c/one.md", "one")).toBe(false);
    expect(ids.size).toBe(2);
    expect(ids.has("one") && ids.has("two") && !ids.has("three")).toBe(true);
    expect(ids.duplicates).toEqual([
      { file: "b/one.md", problem: 'duplicate id "one" (already used by a/one.md)' },
      { file: "c/one.md", problem: 'duplicate id "one" (already used by a/one.md)' },
    ]);
  });
});
