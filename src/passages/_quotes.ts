import type { Passage } from "./passage.js";

/** A stretch of quoted words inside one sentence; offsets index the article body, marks excluded. */
export interface QuotePiece {
  start: number;
  end: number;
  /** Pieces of one quotation share a run: it may run over sentences and, re-opened, over paragraphs. */
  run: number;
}

const DOUBLE_OPEN = new Set(["“", '"', "„", "«"]);
const DOUBLE_CLOSE = new Set(["”", '"', "“", "»"]);
const SINGLE_OPEN = new Set(["‘", "'"]);
const SINGLE_CLOSE = new Set(["’", "'"]);
const LETTER = /[\p{L}\p{N}]/u;
const MARKS = /[“”"„«»‘’']/g;

/**
 * Every quotation of an article, as pieces per sentence id. Marks may be straight or curly, double or
 * single, or mixed (`“…"`, `‘…”`); a single mark counts only where an apostrophe could not stand
 * (`don’t`, `Jones’ book` stay words). A paragraph that ends inside a quotation continues it when the
 * next paragraph opens with a mark, as news writing re-opens a quote that runs over paragraphs.
 */
export function quotePieces(passages: Passage[]): Map<string, QuotePiece[]> {
  const out = new Map<string, QuotePiece[]>();
  let runs = 0;
  let carried: number | undefined;
  let previousRun: number | undefined;
  for (const p of passages) {
    const spans: Array<{ start: number; end: number; run: number }> = [];
    const text = p.text;
    let open: { single: boolean; start: number; run: number } | undefined;
    let lastMark = 0;
    let lastRun = carried ?? previousRun;
    // Only the marks matter; jump from one to the next rather than reading every character.
    for (const mark of text.matchAll(MARKS)) {
      const i = mark.index;
      const c = mark[0];
      const before = text[i - 1] ?? " ";
      const after = text[i + 1] ?? " ";
      if (!open) {
        // A closing mark with no quotation open ends one the sentence before closed too early or
        // re-opened with the wrong mark: the words since the last mark continue that quotation.
        if (c === "”" && lastRun !== undefined && LETTER.test(text.slice(lastMark, i))) {
          spans.push({ start: lastMark, end: i, run: lastRun });
          lastMark = i + 1;
          continue;
        }
        const single = SINGLE_OPEN.has(c) && !LETTER.test(before) && LETTER.test(after);
        if (DOUBLE_OPEN.has(c) || single) {
          const continued = i === 0 && carried !== undefined ? carried : undefined;
          open = { single: !DOUBLE_OPEN.has(c), start: i + 1, run: continued ?? runs++ };
          lastRun = open.run;
        }
        continue;
      }
      const closes = open.single
        ? (SINGLE_CLOSE.has(c) && !LETTER.test(after) && before !== " ") || (DOUBLE_CLOSE.has(c) && c !== "“")
        : DOUBLE_CLOSE.has(c) && (c !== "“" || !LETTER.test(after));
      if (closes) {
        if (i > open.start) spans.push({ start: open.start, end: i, run: open.run });
        open = undefined;
        lastMark = i + 1;
      }
    }
    carried = undefined;
    previousRun = lastRun;
    if (open && p.kind === "paragraph") {
      if (text.length > open.start) spans.push({ start: open.start, end: text.length, run: open.run });
      carried = open.run;
    }
    // Spans and sentences both run in text order: walk them together, so a long paragraph stays linear.
    let first = 0;
    for (const s of p.sentences) {
      const pieces: QuotePiece[] = [];
      while (first < spans.length && p.start + spans[first]!.end <= s.start) first++;
      for (let k = first; k < spans.length && p.start + spans[k]!.start < s.end; k++) {
        const span = spans[k]!;
        const start = Math.max(p.start + span.start, s.start);
        const end = Math.min(p.start + span.end, s.end);
        if (end > start && LETTER.test(s.text.slice(start - s.start, end - s.start))) pieces.push({ start, end, run: span.run });
      }
      if (pieces.length) out.set(s.id, pieces);
    }
  }
  return out;
}

/** Placeholder for quoted words in a sentence's own words: a speaker is never inside a quotation. */
export const QUOTED = "\u0001";

/** The sentence with each quotation (and its marks) replaced by `QUOTED`. */
export function outsideQuotes(text: string, base: number, pieces: QuotePiece[]): string {
  let out = "";
  let at = 0;
  for (const q of pieces) {
    let a = q.start - base;
    let b = q.end - base;
    if (a > 0 && /[“”"‘’'„«]/.test(text[a - 1]!)) a--;
    if (b < text.length && /[“”"‘’'»]/.test(text[b]!)) b++;
    if (a < at) continue;
    out += `${text.slice(at, a)}${QUOTED}`;
    at = b;
  }
  return out + text.slice(at);
}
