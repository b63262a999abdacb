import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findVerbatim, matchWords, nearMatch, normalizeForMatch } from "../../src/answer/match.js";
import { REPO_CORPUS } from "../helpers/core.js";

const TEXT = "Bloomberg reported earlier this month that Turkey could reopen the border “within the next six months.”";
/** A real article body from the corpus, front matter removed. */
const ARTICLE = readFileSync(path.join(REPO_CORPUS, "pashinyan-putin-railways.md"), "utf8").replace(/^---[\s\S]*?\n---\n/, "");

const slice = (text: string, hit: { start: number; end: number } | undefined) => (hit ? text.slice(hit.start, hit.end) : undefined);

describe("normalizeForMatch", () => {
  it("folds whitespace and quote marks, keeping a map back to the original offsets", () => {
    const { norm, map } = normalizeForMatch("a  “b”\n c");
    expect(norm).toBe('a "b" c');
    expect(map).toEqual([0, 1, 3, 4, 5, 6, 8]);
  });

  it("trims whitespace at both ends", () => {
    expect(normalizeForMatch("\n  word \t").norm).toBe("word");
  });

  it("reads every dash as a hyphen and an ellipsis as three dots, mapped to the one original character", () => {
    const { norm, map } = normalizeForMatch("A–B—C…");
    expect(norm).toBe("A-B-C...");
    expect(map).toEqual([0, 1, 2, 3, 4, 5, 5, 5]);
  });

  it("drops invisible characters such as soft hyphens and zero-width spaces", () => {
    const { norm, map } = normalizeForMatch("rail\u00adway\u200b line");
    expect(norm).toBe("railway line");
    expect(map[4]).toBe(5);
  });

  it("keeps letter case and other characters as they are", () => {
    expect(normalizeForMatch("Ye?il I?d?r, Hüseyin Kök").norm).toBe("Ye?il I?d?r, Hüseyin Kök");
  });

  it("turns non-breaking and other unicode spaces into one plain space", () => {
    expect(normalizeForMatch("six\u00a0months\u2009later").norm).toBe("six months later");
  });
});

describe("findVerbatim", () => {
  it("finds a quote despite straight quotes and extra spaces, and returns the corpus offsets", () => {
    const hit = findVerbatim('Turkey could  reopen the border "within the next six months."', TEXT);
    expect(slice(TEXT, hit)).toBe("Turkey could reopen the border “within the next six months.”");
  });

  it("matches a quote wrapped in its own quotation marks that the corpus does not have there", () => {
    expect(slice(TEXT, findVerbatim('"Turkey could reopen the border"', TEXT))).toBe("Turkey could reopen the border");
    // The corpus closes its quotation after the full stop, so the match is the unquoted words.
    expect(slice(TEXT, findVerbatim("“within the next six months”", TEXT))).toBe("within the next six months");
  });

  it("forgives a full stop where the article goes on with a comma", () => {
    const hit = findVerbatim("Quite active political processes are underway.", ARTICLE);
    expect(slice(ARTICLE, hit)).toBe("Quite active political processes are underway");
  });

  it("forgives an ellipsis at either end of the quote", () => {
    expect(slice(ARTICLE, findVerbatim("… to the Ijevan, Yeraskh, and Akhurik sectors...", ARTICLE))).toBe("to the Ijevan, Yeraskh, and Akhurik sectors");
  });

  it("treats hyphens, en dashes and em dashes as the same, and returns the corpus dash", () => {
    expect(slice(ARTICLE, findVerbatim("the possible reopening of the Armenia-Turkey land border", ARTICLE))).toBe(
      "the possible reopening of the Armenia–Turkey land border",
    );
  });

  it("matches across a line break or repeated spaces in the corpus", () => {
    const text = "He said the talks were\n   productive and long.";
    expect(slice(text, findVerbatim("the talks were productive", text))).toBe("the talks were\n   productive");
  });

  it("does not match inside a word", () => {
    expect(findVerbatim("urkey could reopen", TEXT)).toBeUndefined();
    expect(findVerbatim("he border", TEXT)).toBeUndefined();
    expect(findVerbatim("Turkey could reop", TEXT)).toBeUndefined();
  });

  it("is case-sensitive and word-exact", () => {
    expect(findVerbatim("turkey could reopen the border", TEXT)).toBeUndefined();
    expect(findVerbatim("within the next five months", TEXT)).toBeUndefined();
    expect(findVerbatim("Turkey would reopen the border", TEXT)).toBeUndefined();
  });

  it("finds nothing for an empty quote or one made only of quote marks", () => {
    expect(findVerbatim("", TEXT)).toBeUndefined();
    expect(findVerbatim(" “” ", TEXT)).toBeUndefined();
  });

  it("returns the first occurrence on word boundaries when the quote occurs more than once", () => {
    const text = "Putins said. Putin said. Putin said.";
    expect(findVerbatim("Putin said", text)).toEqual({ start: 13, end: 23 });
  });

  it("finds a whole paragraph of the real corpus quoted with straight quotes and no line breaks", () => {
    const para = ARTICLE.split("\n\n").find((p) => p.startsWith("“Our trade turnover"))!;
    const typed = para.replace(/[“”]/g, '"').replace(/’/g, "'");
    expect(slice(ARTICLE, findVerbatim(typed, ARTICLE))).toBe(para);
  });
});

describe("nearMatch", () => {
  it("finds the closest span of a near quote and the words that differ", () => {
    const near = nearMatch("Turkey might reopen the border within the next nine months", TEXT)!;
    expect(near.similarity).toBeGreaterThan(0.75);
    expect(near.similarity).toBeLessThan(1);
    expect(near.missing).toEqual(["might", "nine"]);
    expect(near.extra).toEqual(["could", "six"]);
  });

  it("grows the span over a closing quotation mark it opened, so the text reads balanced", () => {
    const near = nearMatch("Turkey might reopen the border within the next nine months", TEXT)!;
    expect(slice(TEXT, near)).toBe("Turkey could reopen the border “within the next six months.”");
  });

  it("grows the span back over an opening quotation mark it closes", () => {
    const text = "He said “the border will open soon” yesterday.";
    expect(slice(text, nearMatch("the border would open soon yesterday", text))).toBe("“the border will open soon” yesterday");
    expect(slice(text, nearMatch("border will open soon", text))).toBe("border will open soon");
  });

  it("balances straight quotation marks too", () => {
    const text = 'Officials said "the crossing opens in spring." Then they left.';
    expect(slice(text, nearMatch("said the crossing opens in the spring", text))).toBe('said "the crossing opens in spring."');
    expect(slice(text, nearMatch("the crossing opens in the spring", text))).toBe("the crossing opens in spring");
  });

  it("scores an exact quote 1 with nothing missing or extra", () => {
    const near = nearMatch("preparatory work should begin immediately", ARTICLE)!;
    expect(near).toMatchObject({ similarity: 1, missing: [], extra: [] });
    expect(slice(ARTICLE, near)).toBe("preparatory work should begin immediately");
  });

  it("picks the best of many windows in a long real article", () => {
    const near = nearMatch("Putin said bilateral relations between Armenia and Russia were developing steadily", ARTICLE)!;
    // "Putin stated that …" would add one shared word for two extra ones: the tighter span scores higher.
    expect(slice(ARTICLE, near)).toBe("bilateral relations between Armenia and Russia were “developing steadily,”");
    expect(near.missing).toEqual(["putin", "said"]);
    expect(near.extra).toEqual([]);
    expect(near.similarity).toBeCloseTo((2 * 9) / (11 + 9), 5);
  });

  it("starts and ends its span on word boundaries of the original text", () => {
    const near = nearMatch("the Alican Border Crossing with Armenia for freight", ARTICLE)!;
    expect(ARTICLE[near.start - 1]).toMatch(/\s/);
    expect(ARTICLE.slice(near.start, near.end)).toBe("the Alican Border Crossing with Armenia, initially for freight");
  });

  it("compares words without regard to case or apostrophe style", () => {
    const near = nearMatch("RUSSIA, WHICH MANAGES ARMENIA'S RAILWAYS", ARTICLE)!;
    expect(near.similarity).toBe(1);
    expect(slice(ARTICLE, near)).toBe("Russia, which manages Armenia’s railways");
  });

  it("still matches a quote longer than the text it is compared with", () => {
    const near = nearMatch("the border within the next six months and then some more words after it", "reopen the border within the next six months")!;
    expect(near.similarity).toBeGreaterThan(0.5);
    expect(near.missing).toEqual(["and", "then", "some", "more", "words", "after", "it"]);
  });

  it("returns nothing below minSimilarity, and nothing for unrelated text", () => {
    expect(nearMatch("Turkey might reopen the border within the next nine months", TEXT, { minSimilarity: 0.9 })).toBeUndefined();
    expect(nearMatch("green cheese moon", TEXT)).toBeUndefined();
    expect(nearMatch("", TEXT)).toBeUndefined();
    expect(nearMatch("anything", "")).toBeUndefined();
  });

  it("tries longer spans when lengthTolerance allows", () => {
    const text = "Turkey could now reopen the border";
    const tight = nearMatch("Turkey could reopen the border", text, { lengthTolerance: 0 })!;
    const loose = nearMatch("Turkey could reopen the border", text, { lengthTolerance: 2 })!;
    expect(loose.similarity).toBeGreaterThan(tight.similarity);
    expect(slice(text, loose)).toBe(text);
  });
});

describe("matchWords", () => {
  it("splits on anything but letters and digits, keeping inner apostrophes", () => {
    expect(matchWords("Armenia’s $11 billion — don't!").map((w) => w.w)).toEqual(["armenia's", "11", "billion", "don't"]);
  });
});
