import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import wink from "wink-lemmatizer";
import { lemmaData } from "../../bench/lemma-data.js";
import { lemmatizer, type LemmaData } from "../../src/text/lemma.js";

describe("the lemmatizer", () => {
  it("reads the data wink-lemmatizer has (npx tsx bench/lemma-data.ts writes it)", () => {
    const committed = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../src/text/lemma-data.json"), "utf8")) as LemmaData;
    expect(committed).toEqual(lemmaData());
  });

  it("gives wink-lemmatizer's base forms for every WordNet word and its inflections", () => {
    const data = lemmaData();
    const words = new Set<string>([
      ...Object.keys(data.nounExceptions),
      ...Object.keys(data.verbExceptions),
      ...Object.keys(data.adjectiveExceptions),
      "constructor",
      "__proto__",
      "news",
      "met",
    ]);
    for (const w of `${data.nouns}\n${data.verbs}\n${data.adjectives}`.split("\n")) {
      for (const form of [
        w,
        `${w}s`,
        `${w}es`,
        `${w}ed`,
        `${w}ing`,
        `${w}er`,
        `${w}est`,
        `${w.replace(/y$/, "")}ies`,
        `${w.replace(/e$/, "")}ing`,
        `${w.replace(/e$/, "")}ed`,
        `${w.replace(/man$/, "men")}`,
      ])
        words.add(form);
    }
    const differ: string[] = [];
    for (const w of words) {
      if (lemmatizer.noun(w) !== wink.noun(w) || lemmatizer.verb(w) !== wink.verb(w) || lemmatizer.adjective(w) !== wink.adjective(w)) differ.push(w);
    }
    expect(words.size).toBeGreaterThan(500_000);
    expect(differ).toEqual([]);
  });
});
