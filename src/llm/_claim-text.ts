import * as chrono from "chrono-node";
import { LRUCache } from "lru-cache";
import { lexicalTerm } from "../text/terms.js";
import { english, sentenceSplitter } from "../text/nlp.js";

/** Reading text for the claim check (claims.ts): words with their tags and stems, sentences, dates. */

/** One word of a sentence as wink-nlp tags it, with contractions spelled out ("ca" "n't" → can not). */
export interface Token {
  w: string;
  raw: string;
  pos: string;
  stem: string | null;
}

/** Texts whose tokens, sentences and dates are kept: the evidence of one answer is read once, not once per prose sentence. */
const READ_CACHE = 2000;
const tokenCache = new LRUCache<string, Token[]>({ max: READ_CACHE });
const sentenceCache = new LRUCache<string, string[]>({ max: READ_CACHE });
const dateCache = new LRUCache<string, chrono.ParsedResult[]>({ max: READ_CACHE });

/** The words of a text, tagged and stemmed. */
export function tokensOf(text: string): Token[] {
  const hit = tokenCache.get(text);
  if (hit) return hit;
  const nlp = english();
  const doc = nlp.readDoc(text);
  const words = doc.tokens().out();
  const tags = doc.tokens().out(nlp.its.pos);
  const out: Token[] = [];
  words.forEach((raw, i) => {
    const pos = tags[i] ?? "X";
    let w = raw.toLowerCase().replace(/[’ʼ]/g, "'");
    if (w === "cannot") {
      out.push({ w: "can", raw, pos: "AUX", stem: null }, { w: "not", raw, pos: "PART", stem: null });
      return;
    }
    w = ({ ca: "can", wo: "will", sha: "shall", "n't": "not", "'ll": "will", "'d": "would" } as Record<string, string>)[w] ?? w;
    out.push({ w, raw, pos, stem: /[\p{L}\p{N}]/u.test(w) ? lexicalTerm(w) : null });
  });
  tokenCache.set(text, out);
  return out;
}

/** One evidence sentence, read once. */
export interface Read {
  text: string;
  tokens: Token[];
  stems: Set<string>;
}

/** Sentences as the index splits them ("Nov. 28" does not end one). */
export function sentencesOf(text: string): string[] {
  let out = sentenceCache.get(text);
  if (!out)
    sentenceCache.set(
      text,
      (out = sentenceSplitter()
        .readDoc(text)
        .sentences()
        .out()
        .map((s) => s.trim())
        .filter(Boolean)),
    );
  return out;
}

/** A sentence with its words and their stems. */
export function read(text: string): Read {
  const tokens = tokensOf(text);
  return { text, tokens, stems: new Set(tokens.map((t) => t.stem).filter((s): s is string => s !== null)) };
}

/** Fixed, so that relative dates ("next year") resolve the same way on both sides. */
const REFERENCE_DATE = new Date(Date.UTC(2025, 6, 15, 12));
export const DATE_KEYS = ["year", "month", "day", "weekday"] as const;

/** The dates chrono-node finds in a text, relative ones resolved against REFERENCE_DATE. */
export function datesOf(text: string): chrono.ParsedResult[] {
  // "may" and "march" are verbs more often than months in news prose; "for 10 days" and "within the
  // next six months" are spans, not dates: the claim check compares them as quantities.
  let out = dateCache.get(text);
  if (!out) dateCache.set(text, (out = chrono.parse(text, REFERENCE_DATE).filter((r) => !/^(?:may|march)$/.test(r.text) && !DURATION.test(r.text))));
  return out;
}
const DURATION =
  /(?:\d|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several)\b)\s*(?:\w+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b/i;

/** Tokens back to text, without the space wink-nlp's tokens would put before punctuation. */
export function spell(tokens: Token[]): string {
  return tokens
    .map((t) => t.raw)
    .join(" ")
    .replace(/\s+([,.;:%!?”)])/g, "$1")
    .replace(/([“($€£])\s+/g, "$1");
}
