import type { QuotePlace } from "./citation.js";

/**
 * Quote matching that tolerates typographic differences (whitespace runs, curly vs straight quotes,
 * dash variants, `…` vs `...`, invisible characters) but never changes which words are quoted.
 * Used by `/verify` and by LLM quote verification; every offset returned indexes the ORIGINAL text.
 */

/** Characters read as another: quote marks become ASCII `"` and `'`, dashes `-`, the ellipsis `...`. */
const FOLD: Record<string, string> = {
  "“": '"',
  "”": '"',
  "„": '"',
  "‟": '"',
  "«": '"',
  "»": '"',
  "″": '"',
  "＂": '"',
  "‘": "'",
  "’": "'",
  "‚": "'",
  "‛": "'",
  "′": "'",
  ʼ: "'",
  "＇": "'",
  "‐": "-",
  "‑": "-",
  "‒": "-",
  "–": "-",
  "—": "-",
  "―": "-",
  "−": "-",
  "…": "...",
};

/** Soft hyphen, zero-width spaces and joiners, BOM: invisible, so a copy may or may not carry them. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const SPACE = /\s/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Text with whitespace runs folded to one space (and trimmed), quote marks and dashes made plain, and
 * invisible characters removed. Case is kept. `map[i]` is the offset in `text` of normalised char `i`.
 */
export function normalizeForMatch(text: string): { norm: string; map: number[] } {
  let norm = "";
  const map: number[] = [];
  let pendingSpace = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (INVISIBLE.test(ch)) continue;
    if (SPACE.test(ch)) {
      if (pendingSpace < 0 && norm.length > 0) pendingSpace = i;
      continue;
    }
    if (pendingSpace >= 0) {
      norm += " ";
      map.push(pendingSpace);
      pendingSpace = -1;
    }
    const folded = FOLD[ch] ?? ch;
    norm += folded;
    for (let k = 0; k < folded.length; k++) map.push(i);
  }
  return { norm, map };
}

/**
 * Where `quote` occurs in `text`, compared after {@link normalizeForMatch}, as offsets into the original
 * `text` (so `text.slice(start, end)` is the exact corpus wording). The match must start and end on
 * word boundaries. Tried in turn: the quote as given; without surrounding quote marks; without a
 * leading or trailing ellipsis and trailing punctuation (`.`, `,`, `;`, `:`, `!`, `?`), since a quote
 * that ends a sentence in the answer may end mid-sentence in the article.
 */
export function findVerbatim(quote: string, text: string): { start: number; end: number } | undefined {
  const { norm, map } = normalizeForMatch(text);
  for (const q of quoteForms(normalizeForMatch(quote).norm)) {
    const at = indexOnBoundaries(norm, q);
    if (at >= 0) return { start: map[at]!, end: map[at + q.length - 1]! + 1 };
  }
  return undefined;
}

function quoteForms(full: string): string[] {
  const unmarked = full.replace(/^["'\s]+|["'\s]+$/g, "");
  const bare = unmarked
    .replace(/^(?:\.\.\.\s*)+/, "")
    .replace(/(?:\s*\.\.\.)+$/, "")
    .replace(/[.,;:!?]+$/, "")
    .replace(/^["'\s]+|["'\s]+$/g, "");
  return [...new Set([full, unmarked, bare])].filter((q) => q.length > 0);
}

/** First occurrence of `q` in `norm` that neither starts nor ends inside a word. */
function indexOnBoundaries(norm: string, q: string): number {
  const wordStart = WORD_CHAR.test(q[0]!);
  const wordEnd = WORD_CHAR.test(q[q.length - 1]!);
  for (let at = norm.indexOf(q); at >= 0; at = norm.indexOf(q, at + 1)) {
    const before = norm[at - 1];
    const after = norm[at + q.length];
    if (wordStart && before !== undefined && WORD_CHAR.test(before)) continue;
    if (wordEnd && after !== undefined && WORD_CHAR.test(after)) continue;
    return at;
  }
  return -1;
}

/** A word of the text, lowercased with apostrophes made plain, and where it is. */
export interface MatchWord {
  w: string;
  start: number;
  end: number;
}

/** The words of `text` (letters and digits, with inner apostrophes: `Armenia’s`, `don't`), lowercased. */
export function matchWords(text: string): MatchWord[] {
  const out: MatchWord[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’ʼ][\p{L}]+)*/gu)) {
    out.push({ w: m[0].toLowerCase().replace(/[’ʼ]/g, "'"), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export interface NearMatchOptions {
  /** Return nothing when the best span is less similar than this (0–1). Default 0. */
  minSimilarity?: number;
  /** Longest span tried, as a share beyond the quote's word count (0.3 = 130%). Default 0.3. */
  lengthTolerance?: number;
}

export interface NearMatch {
  /** Offsets of the span in the original text, from the start of its first word to the end of its last. */
  start: number;
  end: number;
  /** Word-level Dice similarity, 2·LCS / (quote words + span words), 0–1. */
  similarity: number;
  /** Quote words that the span lacks, and span words the quote lacks (lowercased, each once). */
  missing: string[];
  extra: string[];
}

/**
 * The span of `text` closest to `quote`, word by word: every window starting at a word the quote
 * shares and up to the quote's length plus `lengthTolerance` is scored by the longest common
 * subsequence of words (one incremental table per start, so O(text words × window × quote words)).
 * When the span holds an opening quotation mark without its closing one (or the reverse), it grows
 * to include the mark and any punctuation before it, so a repaired quote reads balanced.
 */
export function nearMatch(quote: string, text: string, opts: NearMatchOptions = {}): NearMatch | undefined {
  const q = matchWords(quote).map((x) => x.w);
  const t = matchWords(text);
  if (q.length === 0 || t.length === 0) return undefined;
  const qSet = new Set(q);
  const maxLen = Math.max(1, Math.ceil(q.length * (1 + (opts.lengthTolerance ?? 0.3))));
  let prev = new Int32Array(q.length + 1);
  let next = new Int32Array(q.length + 1);
  let best: { i: number; j: number; score: number } | undefined;
  for (let i = 0; i < t.length; i++) {
    if (!qSet.has(t[i]!.w)) continue;
    prev.fill(0);
    for (let j = i; j < t.length && j - i < maxLen; j++) {
      // next[k] = LCS(q[0..k), t[i..j])
      const w = t[j]!.w;
      next[0] = 0;
      for (let k = 1; k <= q.length; k++) next[k] = q[k - 1] === w ? prev[k - 1]! + 1 : Math.max(prev[k]!, next[k - 1]!);
      [prev, next] = [next, prev];
      const score = (2 * prev[q.length]!) / (q.length + j - i + 1);
      if (!best || score > best.score) best = { i, j: j + 1, score };
    }
  }
  if (!best || best.score < (opts.minSimilarity ?? 0)) return undefined;
  const span = t.slice(best.i, best.j);
  const spanSet = new Set(span.map((x) => x.w));
  const { start, end } = balanceQuotes(text, span[0]!.start, span[span.length - 1]!.end);
  return {
    start,
    end,
    similarity: best.score,
    missing: [...new Set(q.filter((w) => !spanSet.has(w)))],
    extra: [...new Set(span.map((x) => x.w).filter((w) => !qSet.has(w)))],
  };
}

/** Grow a span over the quotation mark it opens (or closes) but does not contain; straight `"` tried after, then before. */
function balanceQuotes(text: string, start: number, end: number): { start: number; end: number } {
  const s = text.slice(start, end);
  const count = (re: RegExp) => (s.match(re) ?? []).length;
  const opens = count(/[“«„]/g);
  const closes = count(/[”»]/g);
  const closing = (marks: string) => new RegExp(`^[.,;:!?…]{0,3}[${marks}]`).exec(text.slice(end, end + 4))?.[0].length ?? 0;
  if (opens > closes) end += closing("”»");
  else if (closes > opens && /[“«„]/.test(text[start - 1] ?? "")) start -= 1;
  if (count(/"/g) % 2 === 1) {
    const grow = closing('"');
    if (grow > 0) end += grow;
    else if (text[start - 1] === '"') start -= 1;
  }
  return { start, end };
}

/** Result of checking whether a text occurs in the sources (`/verify`). */
export type QuoteCheck =
  | {
      kind: "verbatim";
      matches: QuotePlace[];
    }
  | {
      kind: "near";
      articleId: string;
      passageId: string;
      /** The closest span of corpus text. */
      text: string;
      /** 0–1. */
      similarity: number;
      /** Words of the query missing from the corpus span, and words of the span not in the query. */
      missing: string[];
      extra: string[];
      title: string;
      published: string;
    }
  | { kind: "absent" };
