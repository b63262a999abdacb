import { describe, expect, it } from "vitest";
import { letterRuns, lexicalTerm, lexicalTokens, splitWords, stem, STOP_WORDS, wordTokens } from "../../src/text/terms.js";

describe("the one tokenizer's stages", () => {
  it("splits a text for the index at every space and punctuation mark, as the stored terms were split", () => {
    // Apostrophes, dashes and full stops split; a currency sign is no punctuation and stays with its figure.
    expect(splitWords("Kudiflow's Kars–Gyumri line, U.S. $2.3bn").filter(Boolean)).toEqual(["Kudiflow", "s", "Kars", "Gyumri", "line", "U", "S", "$2", "3bn"]);
  });

  it("makes index terms with accents folded, stop words out, irregular verbs at their base form, stemmed", () => {
    expect(lexicalTokens("Türkiye's officials met on the railway talks")).toEqual([
      ["türkiye", "turkiy"],
      ["s", "s"],
      ["officials", "offici"],
      ["met", "meet"],
      ["railway", "railwai"],
      ["talks", "talk"],
    ]);
    expect(lexicalTerm("Turkiye")).toBe(lexicalTerm("Türkiye"));
    expect(lexicalTerm("the")).toBeNull();
  });

  it("spells words as the word vectors do: compounds whole, the possessive split off", () => {
    expect(wordTokens("Armenia’s Kars-Gyumri line, U.S.")).toEqual(["armenia", "'s", "kars-gyumri", "line", "u.s"]);
    expect(STOP_WORDS.has("'s")).toBe(true);
  });

  it("lists the runs of letters and digits a sentence may echo, unstemmed", () => {
    expect([...letterRuns("Did the Kars–Gyumri line reopen in 2025, and the U.S. line?")]).toEqual([
      "did",
      "the",
      "kars",
      "gyumri",
      "line",
      "reopen",
      "in",
      "2025",
      "and",
      "u",
      "s",
    ]);
  });

  it("gives the bare stem for comparing the words of a conversation", () => {
    expect(["Railways", "talks", "reopening"].map(stem)).toEqual(["railwai", "talk", "reopen"]);
  });
});
