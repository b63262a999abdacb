import type { Article } from "../corpus/article.js";
import { sentenceSplitter } from "../text/nlp.js";
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
  const paragraphs: Array<Omit<Passage, "sentences">> = [];
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
    paragraphs.push({ id: `${article.id}#p${n}`, articleId: article.id, n, kind, start, end: start + text.length, text });
  }
  const pieces = sentencePieces(paragraphs.map((p) => p.text));
  return paragraphs.map((p, i) => ({ ...p, sentences: splitSentences(p.id, p.text, p.start, pieces[i]!) }));
}

/**
 * The splitter's sentences of each paragraph. One document for the whole article: the splitter's
 * cost is mostly per call, and it ends a sentence at every blank line, so each paragraph gets the
 * sentences it gets alone (checked on the seed corpus and the 10,000 generated articles). Where a
 * sentence would run across a blank line, or a paragraph's pieces are not found in order, the
 * paragraphs are split one by one instead.
 */
function sentencePieces(texts: string[]): string[][] {
  const joined = texts.join(PARAGRAPH_BREAK);
  const out: string[][] = texts.map(() => []);
  let p = 0;
  let paraStart = 0;
  let cursor = 0;
  for (const piece of sentenceSplitter().readDoc(joined).sentences().out()) {
    const at = joined.indexOf(piece, cursor);
    if (at < 0 || piece.includes(PARAGRAPH_BREAK)) return texts.map((t) => sentenceSplitter().readDoc(t).sentences().out());
    while (p < texts.length - 1 && at >= paraStart + texts[p]!.length) {
      paraStart += texts[p]!.length + PARAGRAPH_BREAK.length;
      p += 1;
    }
    if (at < paraStart || at + piece.length > paraStart + texts[p]!.length) return texts.map((t) => sentenceSplitter().readDoc(t).sentences().out());
    out[p]!.push(piece);
    cursor = at + piece.length;
  }
  return out;
}

const PARAGRAPH_BREAK = "\n\n";

function splitSentences(passageId: string, text: string, offset: number, pieces: string[]): Sentence[] {
  const out: Sentence[] = [];
  let cursor = 0;
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
