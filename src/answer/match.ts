/** Quote matching that tolerates typographic differences: whitespace runs and curly vs straight quotes. */

const FOLD: Record<string, string> = { "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"', "‘": "'", "’": "'", "‚": "'", "′": "'", "–": "-", "—": "-" };

/** Text with whitespace folded and quote marks made plain; `map[i]` is the original offset of char i. */
export function normalizeForMatch(text: string): { norm: string; map: number[] } {
  let norm = "";
  const map: number[] = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      if (!space && norm.length > 0) {
        norm += " ";
        map.push(i);
      }
      space = true;
      continue;
    }
    space = false;
    norm += FOLD[ch] ?? ch;
    map.push(i);
  }
  if (norm.endsWith(" ")) {
    norm = norm.slice(0, -1);
    map.pop();
  }
  return { norm, map };
}

/** Where `quote` occurs in `text` (after folding), as offsets into the original `text`. */
export function findVerbatim(quote: string, text: string): { start: number; end: number } | undefined {
  const full = normalizeForMatch(quote).norm;
  const { norm, map } = normalizeForMatch(text);
  // The quote as given first (its own quote marks included), then without surrounding marks.
  for (const q of [full, full.replace(/^["'\s]+|["'\s]+$/g, "")]) {
    if (!q) continue;
    const at = norm.indexOf(q);
    if (at >= 0) return { start: map[at]!, end: map[at + q.length - 1]! + 1 };
  }
  return undefined;
}

interface Word {
  w: string;
  start: number;
  end: number;
}

function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) out.push({ w: m[0].toLowerCase().replace(/’/g, "'"), start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * The span of `text` closest to `quote`, by word-level longest common subsequence over windows of
 * about the quote's length. Similarity is 2·LCS / (quote words + span words).
 */
export function nearMatch(quote: string, text: string): { start: number; end: number; similarity: number; missing: string[]; extra: string[] } | undefined {
  const q = words(quote);
  const t = words(text);
  if (q.length === 0 || t.length === 0) return undefined;
  let best: { i: number; j: number; score: number } | undefined;
  const minLen = Math.max(1, Math.floor(q.length * 0.7));
  const maxLen = Math.ceil(q.length * 1.3);
  const qWords = new Set(q.map((x) => x.w));
  for (let i = 0; i < t.length; i++) {
    if (!qWords.has(t[i]!.w)) continue;
    for (let len = minLen; len <= maxLen && i + len <= t.length; len++) {
      const lcs = lcsLength(q.map((x) => x.w), t.slice(i, i + len).map((x) => x.w));
      const score = (2 * lcs) / (q.length + len);
      if (!best || score > best.score) best = { i, j: i + len, score };
    }
  }
  if (!best) return undefined;
  const span = t.slice(best.i, best.j);
  const spanWords = new Set(span.map((x) => x.w));
  return {
    start: span[0]!.start,
    end: span[span.length - 1]!.end,
    similarity: best.score,
    missing: [...new Set(q.map((x) => x.w).filter((w) => !spanWords.has(w)))],
    extra: [...new Set(span.map((x) => x.w).filter((w) => !qWords.has(w)))],
  };
}

function lcsLength(a: string[], b: string[]): number {
  const prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(prev[j]!, prev[j - 1]!);
      diag = up;
    }
  }
  return prev[b.length]!;
}
