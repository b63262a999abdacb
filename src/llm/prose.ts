/** Edits to the model's prose after verification: marker renumbering, unsupported sentences, stray quotation marks. */

/** A marker group with the whitespace before it: `[1]`, `[1, 2]`, `[1; 3]`, `[2-4]`. */
const MARKER = /(\s*)\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\]/g;

function markerNumbers(inner: string): number[] {
  const out: number[] = [];
  for (const part of inner.split(/\s*[,;]\s*/)) {
    const range = /^(\d+)\s*[–-]\s*(\d+)$/.exec(part);
    if (!range) {
      out.push(Number(part));
      continue;
    }
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (b >= a && b - a < 20) for (let n = a; n <= b; n++) out.push(n);
    else out.push(a, b);
  }
  return out;
}

/** Marker numbers in the order the prose first uses them. */
export function markersInOrder(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(MARKER)) for (const n of markerNumbers(m[2]!)) if (!out.includes(n)) out.push(n);
  return out;
}

/**
 * Sentences with their trailing markers and whitespace, so that joining them gives the text back.
 * Both "… six months [1]." and "… six months. [1]" keep the marker with its sentence.
 */
export function proseSentences(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(/[.!?]+["”’)]*(?:\s*\[[\d,;\s–-]+\])*(?=\s|$)\s*/g)) {
    const end = m.index + m[0].length;
    out.push(text.slice(last, end));
    last = end;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * Rewrite markers to the numbers shown (`numbersOf`: model marker → citation numbers; a marker may
 * map to several when one marker had several verified quotes). A sentence whose markers all lost
 * their claims states something nothing supports, so it is removed; sentences without markers stay.
 */
export function renumberMarkers(text: string, numbersOf: ReadonlyMap<number, number[]>): { text: string; notes: string[] } {
  const notes: string[] = [];
  const note = (s: string) => void (notes.includes(s) || notes.push(s));
  const kept = proseSentences(text).map((sentence) => {
    const marked = [...sentence.matchAll(MARKER)].flatMap((m) => markerNumbers(m[2]!));
    if (marked.length > 0 && !marked.some((n) => numbersOf.has(n))) {
      note(`sentence removed from the answer, none of its claims verified: "${clip(sentence.trim())}"`);
      return "";
    }
    return sentence.replace(MARKER, (_whole, space: string, inner: string) => {
      const numbers: number[] = [];
      for (const n of markerNumbers(inner)) {
        const to = numbersOf.get(n);
        if (!to) note(`marker [${n}] removed: no verified claim`);
        for (const t of to ?? []) if (!numbers.includes(t)) numbers.push(t);
      }
      return numbers.length > 0 ? `${space}${numbers.map((n) => `[${n}]`).join("")}` : "";
    });
  });
  const joined = kept
    .join("")
    .replace(/\[(\d+)\](?:\s*\[\1\])+/g, "[$1]")
    .replace(/[ \t]{2,}/g, " ")
    .replace(/[ \t]+([.,;:!?])/g, "$1")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { text: joined, notes };
}

/**
 * Quotation marks in the prose claim verbatim text: drop the marks (keep the words) around anything
 * `isCorpusText` does not confirm, and say so in `notes`.
 */
export function unquoteUnverified(text: string, isCorpusText: (inner: string) => boolean, notes: string[]): string {
  return text.replace(/[“"]([^”"\n]{3,})[”"]/g, (whole, inner: string) => {
    if (isCorpusText(inner)) return whole;
    notes.push(`quotation marks removed from the answer around unverified text: "${clip(inner)}"`);
    return inner;
  });
}

/** Longest prose shown, in characters: a model that writes on and on is cut at a sentence boundary. */
export const MAX_PROSE_CHARS = 1500;

/** Prose cut to MAX_PROSE_CHARS at the last sentence that fits (mid-sentence only when the first is too long). */
export function capProse(text: string, max: number = MAX_PROSE_CHARS): { text: string; cut: boolean; note: string } {
  if (text.length <= max) return { text, cut: false, note: "" };
  let out = "";
  // The last piece of the cut text is a sentence cut short.
  for (const s of proseSentences(text.slice(0, max + 1)).slice(0, -1)) {
    if (out.length + s.length > max) break;
    out += s;
  }
  if (!out) out = text.slice(0, max);
  return { text: out, cut: true, note: `prose cut from ${text.length} to ${out.trimEnd().length} characters (at most ${max})` };
}

/** Text cut to 60 characters for a verification note. */
export function clip(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 59)}…`;
}
