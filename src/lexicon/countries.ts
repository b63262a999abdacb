import { createRequire } from "node:module";
import type { Country } from "world-countries";
import { plainWord } from "../text/normalize.js";

/** How a name refers to its country. */
export type CountryFormKind = "name" | "capital" | "demonym";

export interface CountryForm {
  /** Plain words of the form ("south", "korea"), as {@link plainWord} gives them. */
  words: string[];
  kind: CountryFormKind;
}

/**
 * Countries from the `world-countries` data set: common, official and alternative names (Türkiye,
 * Turkey, Turkiye), capitals (Ankara) and English demonyms (Turkish), each of them leading to the
 * country's other forms. Two-letter codes are left out: "US" and "IT" are words too.
 */
export class Countries {
  /** Every form's key (plain words joined by a space) → the countries it names. */
  private readonly byForm = new Map<string, Array<{ country: number; kind: CountryFormKind }>>();
  private readonly forms: CountryForm[][] = [];

  constructor(countries: Country[] = loadWorldCountries()) {
    countries.forEach((c, i) => {
      const forms: CountryForm[] = [];
      const add = (text: string | undefined, kind: CountryFormKind) => {
        if (!text || text.length < 4 || /^[A-Z]{2,3}$/.test(text)) return;
        const words = text
          .split(/[\s,]+/)
          .map(plainWord)
          .filter(Boolean);
        if (words.length === 0) return;
        const key = words.join(" ");
        if (forms.some((f) => f.words.join(" ") === key)) return;
        forms.push({ words, kind });
        const list = this.byForm.get(key) ?? [];
        list.push({ country: i, kind });
        this.byForm.set(key, list);
      };
      add(c.name.common, "name");
      add(c.name.official, "name");
      for (const alt of c.altSpellings) {
        add(alt, "name");
        // "Republic of Turkey" also says "Turkey".
        const of = /^(?:(?:The\s+)?(?:Republic|Kingdom|State|Commonwealth|Principality|Federation|Union)\s+of\s+(?:the\s+)?)(.+)$/i.exec(alt);
        if (of) add(of[1], "name");
      }
      for (const capital of c.capital ?? []) add(capital.replace(/\s+D\.C\.$/, ""), "capital");
      const eng = c.demonyms?.["eng"];
      if (eng) {
        add(eng.m, "demonym");
        add(eng.f, "demonym");
      }
      this.forms.push(forms);
    });
  }

  /**
   * The other forms of the country (or countries) that `words` names, with how `words` refers to it:
   * `["moscow"]` → Russia, Russian Federation, Russian (kind of the question's form: capital).
   */
  related(words: string[]): Array<{ form: CountryForm; from: CountryFormKind }> {
    const hits = this.byForm.get(words.join(" "));
    if (!hits) return [];
    const out: Array<{ form: CountryForm; from: CountryFormKind }> = [];
    for (const { country, kind } of hits) {
      for (const form of this.forms[country] ?? []) {
        if (form.words.join(" ") !== words.join(" ")) out.push({ form, from: kind });
      }
    }
    return out;
  }

  /** Whether the words name a country, a capital or a demonym. */
  has(words: string[]): boolean {
    return this.byForm.has(words.join(" "));
  }
}

function loadWorldCountries(): Country[] {
  const require = createRequire(import.meta.url);
  const data = require("world-countries") as Country[] | { default: Country[] };
  return Array.isArray(data) ? data : data.default;
}
