import { readFileSync } from "node:fs";
import path from "node:path";
import { stemmer } from "stemmer";
import { describe, expect, it } from "vitest";
import lemmatizer from "wink-lemmatizer";
import { verbForms } from "../../bench/verb-forms.js";
import { lexicalTerm } from "../../src/index/lexical.js";

describe("the verb-form table", () => {
  it("is the one wink-lemmatizer gives (npx tsx bench/verb-forms.ts writes it)", () => {
    const committed = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../src/index/verb-forms.json"), "utf8")) as Record<string, string>;
    expect(committed).toEqual(verbForms());
  });

  it("gives the terms the lemmatizer gave, irregular forms and others alike", () => {
    const viaLemmatizer = (w: string) => {
      const verb = lemmatizer.verb(w);
      return stemmer(verb === w || stemmer(verb) === stemmer(w) ? w : verb);
    };
    for (const w of ["began", "met", "built", "approved", "news", "flies", "constructors", "going", "went", "taught", "ran", "hoping", "abacinateed"]) {
      expect(lexicalTerm(w)).toBe(viaLemmatizer(w));
    }
  });
});
