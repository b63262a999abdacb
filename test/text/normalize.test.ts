import { describe, expect, it } from "vitest";
import { cleanText, foldAccents, hasWord, startsWord, TextWords } from "../../src/text/normalize.js";

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

describe("looking words up in a listed text", () => {
  it("answers as hasWord and startsWord do, for single words, phrases, punctuation and astral letters", async () => {
    const text = "the kars-gyumri line, premiers' talks in 2025; macedonian rail 𝐀bc north macedonia\nend";
    const probes = [
      "kars",
      "gyumri",
      "kars-gyumri",
      "premier",
      "premiers",
      "macedonia",
      "macedoni",
      "north macedonia",
      "2025",
      "202",
      "bc",
      "𝐀bc",
      "rail ",
      "",
      "end",
      "en",
      "zeppelin",
      "line,",
    ];
    // Slices of 8 characters: words are listed across many turns of the event loop; a text of one slice is scanned.
    for (const slice of [8, 1000]) {
      const words = await TextWords.of(text, slice);
      for (const p of probes) {
        expect(words.has(p), `has ${JSON.stringify(p)}`).toBe(hasWord(text, p));
        expect(words.startsWith(p), `startsWith ${JSON.stringify(p)}`).toBe(startsWord(text, p));
      }
      expect(words.startsWith("premier")).toBe(true);
      expect(words.has("macedoni")).toBe(false);
    }
  });
});
