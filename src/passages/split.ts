import type { Article } from "../corpus/article.js";
import { sentenceSplitter } from "./nlp.js";
import type { Passage, PassageKind, Sentence } from "./passage.js";

const MARKERS: Array<[RegExp, PassageKind]> = [
  [/^#{1,6}\s+/, "heading"],
  [/^Caption:\s+/, "caption"],
];

/**
 * Split an article body into paragraphs (blank-line separated) and their sentences, with ids
 * `<articleId>#p<n>` / `…#p<n>.s<m>` and offsets into the body. Markers (`## `, `Caption: `) are
 * outside the passage text, so every offset range is verbatim corpus text.
 */
export function splitArticle(article: Pick<Article, "id" | "body">): Passage[] {
  const passages: Passage[] = [];
  const body = article.body;
  const para = /[^\n](?:[^\n]|\n(?!\s*\n))*/g;
  let n = 0;
  for (let m = para.exec(body); m; m = para.exec(body)) {
    let start = m.index;
    let raw = m[0];
    let kind: PassageKind = "paragraph";
    for (const [re, k] of MARKERS) {
      const marker = re.exec(raw);
      if (marker) {
        kind = k;
        start += marker[0].length;
        raw = raw.slice(marker[0].length);
        break;
      }
    }
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (!text) continue;
    start += lead;
    n += 1;
    const id = `${article.id}#p${n}`;
    passages.push({ id, articleId: article.id, n, kind, start, end: start + text.length, text, sentences: splitSentences(id, text, start) });
  }
  return passages;
}

function splitSentences(passageId: string, text: string, offset: number): Sentence[] {
  const out: Sentence[] = [];
  let cursor = 0;
  const pieces = sentenceSplitter().readDoc(text).sentences().out();
  for (const piece of pieces) {
    const at = text.indexOf(piece, cursor);
    if (at < 0) continue; // the splitter reshaped whitespace; the gap is covered below
    // No space between two "sentences" means the splitter broke a word (e.g. "Ye?il", mojibake): rejoin.
    if (out.length > 0 && (at === cursor || text.slice(cursor, at).trim())) {
      extend(out[out.length - 1]!, text, offset, at + piece.length);
      cursor = at + piece.length;
      continue;
    }
    out.push({ id: `${passageId}.s${out.length + 1}`, start: offset + at, end: offset + at + piece.length, text: piece });
    cursor = at + piece.length;
  }
  if (out.length === 0) return [{ id: `${passageId}.s1`, start: offset, end: offset + text.length, text }];
  // Trailing text the splitter did not return (rare) stays with the last sentence.
  if (text.slice(cursor).trim()) extend(out[out.length - 1]!, text, offset, text.length);
  return out;
}

function extend(s: Sentence, text: string, offset: number, localEnd: number): void {
  const end = offset + text.slice(0, localEnd).trimEnd().length;
  s.end = end;
  s.text = text.slice(s.start - offset, end - offset);
}
