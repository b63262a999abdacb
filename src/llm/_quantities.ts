import { lexicalTerm } from "../text/terms.js";
import { spell, type Token } from "./_claim-text.js";

/** Numbers in text with what they count and how they are bounded, for the claim check (claims.ts). */

/** A number with what it counts, read from text: `six months`, `$11 billion`, `3 percentage points`. */
export interface Quantity {
  value: number;
  /** Stem of the noun counted (`month`), `percent`, or none (`rise to 14`). */
  unit: string | undefined;
  currency: string | undefined;
  /** What it is counted per (`a year` → year), or none. */
  rate: string | undefined;
  /** Classes of the bound and direction words around it (`within the next` → less, next). */
  bounds: Set<string>;
  text: string;
}

/** Direction words by class; a sentence may use a word of a class only where its evidence does. */
export const DIRECTION: Record<string, string> = {
  next: "next",
  coming: "next",
  upcoming: "next",
  last: "last",
  past: "last",
  previous: "last",
  preceding: "last",
  ago: "last",
  before: "before",
  prior: "before",
  ahead: "before",
  after: "after",
  later: "after",
  afterwards: "after",
  within: "within",
  until: "until",
  till: "until",
  since: "since",
};

/** Words that bound a quantity (`within`, `under` six months: at most; `over`, `at least`: at least). */
const BOUND: Record<string, string> = {
  within: "less",
  under: "less",
  below: "less",
  less: "less",
  fewer: "less",
  most: "less",
  up: "less",
  inside: "less",
  over: "more",
  above: "more",
  more: "more",
  least: "more",
  exceeding: "more",
  exceeded: "more",
  beyond: "more",
};

const CARDINAL: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  dozen: 12,
};
const MULTIPLIER: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const CURRENCY: Record<string, string> = { $: "$", "€": "€", "£": "£", dollar: "$", dollars: "$", euro: "€", euros: "€", pound: "£", pounds: "£" };
/** Spellings of one unit: a unit counts as the same unit under any of them. */
const UNIT_SPELLINGS = [
  ["percent", "%", "pct"],
  ["kilometre", "kilometer", "km"],
  ["metre", "meter", "m"],
  ["tonne", "ton", "t"],
];
const UNIT_ALIASES = new Map<string, string>(UNIT_SPELLINGS.flatMap((group) => group.map((w) => [lexicalTerm(w) ?? w, group[0]!] as const)));

/** Words that make a quantity a rate: "a year", "per week", "each day". */
const RATE_WORDS = new Set(["a", "an", "per", "each", "every"]);
/** Words before a number searched for its bounds ("within the next six"). */
const BOUND_WORDS = 3;
/** Words after a number searched for the noun it counts ("six new electric trainsets" is as far as it goes). */
const UNIT_WORDS = 3;

/** Numbers with their units, currencies and bounds. */
export function quantitiesOf(tokens: Token[]): Quantity[] {
  const out: Quantity[] = [];
  const valueAt = (i: number): number | undefined => {
    const t = tokens[i];
    if (!t) return undefined;
    if (/^\d[\d,]*(?:\.\d+)?$/.test(t.w)) return Number(t.w.replace(/,/g, ""));
    return CARDINAL[t.w];
  };
  for (let i = 0; i < tokens.length; i++) {
    let value = valueAt(i);
    if (value === undefined) continue;
    // A range ("two to three years", "between five and eight days") shares its unit and its bounds.
    const range = [i];
    let j = i + 1;
    while (/^(?:to|and|or|-|–)$/.test(tokens[j]?.w ?? "") && valueAt(j + 1) !== undefined) {
      range.push(j + 1);
      j += 2;
    }
    let multiplier = 1;
    if (tokens[j] && MULTIPLIER[tokens[j]!.w]) multiplier = MULTIPLIER[tokens[j++]!.w]!;
    let unit: string | undefined;
    let unitEnd = j;
    let currency = CURRENCY[tokens[i - 1]?.w ?? ""];
    const next = tokens[j];
    if (next && next.w === "per" && tokens[j + 1]?.w === "cent") [unit, unitEnd] = ["percent", j + 2];
    else if (next && UNIT_ALIASES.get(next.w) === "percent") [unit, unitEnd] = ["percent", j + 1];
    // "120 euros" counts euros: as a unit it differs from "120 kronor", as a currency from "$120".
    else if (next && CURRENCY[next.w]) [currency, unit, unitEnd] = [CURRENCY[next.w], CURRENCY[next.w], j + 1];
    else {
      // The counted noun: the last noun of the run of adjectives and nouns after the number ("six new trainsets").
      for (let k = j; k < Math.min(tokens.length, j + UNIT_WORDS); k++) {
        const t = tokens[k]!;
        if (t.pos === "NOUN") [unit, unitEnd] = [t.stem ?? t.w, k + 1];
        else if (t.pos !== "ADJ") break;
      }
    }
    if (unit) unit = UNIT_ALIASES.get(unit) ?? unit;
    const bounds = new Set<string>();
    const start = currency && CURRENCY[tokens[i - 1]?.w ?? ""] ? i - 1 : i;
    let from = start;
    for (let k = start - 1; k >= Math.max(0, start - BOUND_WORDS); k--) {
      const t = tokens[k]!;
      if (t.pos === "PUNCT" || valueAt(k) !== undefined) break;
      const cls = BOUND[t.w] ?? DIRECTION[t.w];
      if (cls) {
        bounds.add(cls);
        from = k;
      } else if (t.w === "the" || t.w === "than" || t.w === "at" || t.w === "to") from = from === k + 1 ? k : from;
    }
    const after = tokens[unitEnd]?.w ?? "";
    if (after === "ago" || after === "later" || after === "earlier") bounds.add(after === "earlier" ? "before" : DIRECTION[after]!);
    // A rate: "380 million kronor a year", "three round trips per week".
    let rate: string | undefined;
    if (RATE_WORDS.has(after) && tokens[unitEnd + 1]?.pos === "NOUN") [rate, unitEnd] = [tokens[unitEnd + 1]!.stem ?? tokens[unitEnd + 1]!.w, unitEnd + 2];
    const text = spell(tokens.slice(from, unitEnd));
    for (const r of range) {
      value = valueAt(r)!;
      out.push({ value: value * multiplier, unit, currency, rate, bounds, text });
    }
    i = range.at(-1)!;
  }
  return out;
}
