import { describe, expect, it } from "vitest";
import { cleanText, foldAccents } from "../../src/text/normalize.js";

describe("normalising a question before it is searched", () => {
  it("drops zero-width characters, bidi controls, NUL and lone surrogates", () => {
    const dirty = "When\u200b could the\u202e Armenia\u2066–Turkey\u2069 border\u0000 reopen?\ud800\ufeff";
    expect(cleanText(dirty)).toBe("When could the Armenia–Turkey border reopen?");
    expect(cleanText("tab\tand\nnewline\u00a0space")).toBe("tab and newline space");
  });

  it("applies NFKC so full-width letters and ligatures read as plain ones, keeping accents", () => {
    expect(cleanText("Ｗｈｅｎ did the ﬁrst train reach Türkiye?")).toBe("When did the first train reach Türkiye?");
  });

  it("folds accents for matching only", () => {
    expect(foldAccents("Türkiye São Paulo Kızılırmak Bódi Łódź")).toBe("Turkiye Sao Paulo Kizilirmak Bodi Lodz");
    expect(foldAccents("plain ascii")).toBe("plain ascii");
  });
});
