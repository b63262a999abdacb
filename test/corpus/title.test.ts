import { describe, expect, it } from "vitest";
import { DERIVED_TITLE_MAX_CHARS, titleFromBody, titleRepeatsOpening } from "../../src/corpus/title.js";

describe("a title from the first sentence", () => {
  it("takes the first sentence of the first paragraph, without a dateline or its full stop", () => {
    const body = "## Harbour\n\nGULL BAY (Wire) — The ferry will run at dawn from May. It was the board's idea.\n\nMore text.";
    expect(titleFromBody(body)).toBe("The ferry will run at dawn from May");
  });

  it("cuts a long sentence at a word and marks the cut", () => {
    const long = `The council ${"agreed that the long and winding coastal path ".repeat(4)}would be resurfaced.`;
    const title = titleFromBody(long);
    expect(title.length).toBeLessThanOrEqual(DERIVED_TITLE_MAX_CHARS + 1);
    expect(title).toMatch(/ coastal…$|[a-z]…$/);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
  });

  it("gives nothing for an empty body", () => {
    expect(titleFromBody("")).toBe("");
  });
});

describe("a title that only repeats the body's opening", () => {
  it("is recognised with or without the cut mark, after a dateline, and not for a real headline", () => {
    const body = "## Harbour\n\nGULL BAY — The ferry will run at dawn from May, the board said.\n\nMore text.";
    expect(titleRepeatsOpening("The ferry will run at dawn from May", body)).toBe(true);
    expect(titleRepeatsOpening("The ferry will run at dawn…", body)).toBe(true);
    expect(titleRepeatsOpening("Dawn ferry for Gull Bay", body)).toBe(false);
    expect(titleRepeatsOpening("", body)).toBe(false);
  });
});
