import { findDate } from "./date.js";

/**
 * Turn raw article text copied from a news site into our article format: site chrome removed,
 * photo captions kept once and marked, section headings marked, and metadata taken only from what
 * the text states. Pure; used by `npm run import` for plain text (HTML goes through Readability).
 */
export interface CleanedArticle {
  /** Headline, when the text opens with one; empty otherwise. */
  title: string;
  /** Publisher named by a "More From X" footer; empty otherwise. */
  publisher: string;
  /** ISO timestamp from the site's date line; empty otherwise. */
  published: string;
  /** Name from a "By …" line; empty otherwise. */
  author: string;
  /** Paragraphs separated by blank lines; `## ` headings, `Caption: ` captions. */
  body: string;
  /** Lines that were dropped, for the importer to report. */
  dropped: string[];
}

/**
 * Copied plain text has no markup to tell chrome from content, so no library can clean it: these
 * words of photo viewers and share bars are dropped when they stand alone on a line. Menus and topic
 * bars (runs of short unpunctuated lines) are dropped by shape instead, whatever their words.
 */
const NAV_LINES = new Set(["close", "photo", "bigphoto", "share", "advertisement"]);
/** Most words of a line that can be menu or toolbar chrome when it sits in a run of such lines. */
const STUB_WORDS = 3;
/** Most words of a line that only states the date ("Published 15 March 2025 | Updated …"). */
const DATE_LINE_WORDS = 12;
const MORE_FROM = /^More From (.+)$/;
/** "By Mira Castell": a byline of up to four capitalised words, alone on its line. */
const BYLINE = /^By\s+(\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3})$/u;
const CAPTION_HINT = /\((?:[A-Z]{2,}\s)?Photo\b[^)]*\)\s*$|\bPhoto via\b/;

/**
 * `known.title`: the headline from a metadata header; the text's first line is then dropped only
 * when it repeats it.
 */
export function cleanArticleText(raw: string, known: { title?: string } = {}): CleanedArticle {
  const lines = raw.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const dropped: string[] = [];
  let publisher = "";
  let published = "";
  let author = "";
  const kept: string[] = [];
  const stub = (l: string | undefined) => l !== undefined && l.split(/\s+/).length <= STUB_WORDS && /^[\p{L}\s]+$/u.test(l);
  for (const [i, line] of lines.entries()) {
    const by = BYLINE.exec(line);
    if (by) {
      author ||= by[1]!;
      dropped.push(line);
      continue;
    }
    if (NAV_LINES.has(line.toLowerCase()) || (stub(line) && (stub(lines[i - 1]) || stub(lines[i + 1])))) {
      dropped.push(line);
      continue;
    }
    const date = dateLine(line);
    if (date) {
      if (!published) published = date;
      dropped.push(line);
      continue;
    }
    const more = MORE_FROM.exec(line);
    if (more) {
      publisher ||= more[1]!.trim();
      dropped.push(line);
      continue;
    }
    kept.push(line);
  }

  // Captions: repeated lines (sites print each twice: under the photo and in the viewer), or lines
  // crediting a photo. Keep each once.
  const counts = new Map<string, number>();
  for (const l of kept) counts.set(l, (counts.get(l) ?? 0) + 1);
  const seen = new Set<string>();
  const blocks: string[] = [];
  let title = "";
  kept.forEach((line, i) => {
    const isCaption = (counts.get(line) ?? 0) > 1 || CAPTION_HINT.test(line);
    if (isCaption) {
      if (seen.has(line)) {
        dropped.push(line);
        return;
      }
      seen.add(line);
      blocks.push(`Caption: ${line}`);
      return;
    }
    if (i === 0 && known.title !== undefined) {
      if (sameText(line, known.title)) {
        dropped.push(line);
        return;
      }
    } else if (i === 0 && looksLikeHeading(line)) {
      title = line;
      return;
    }
    blocks.push(looksLikeHeading(line) ? `## ${line}` : line);
  });
  return { title, publisher, published, author, body: blocks.join("\n\n") + "\n", dropped };
}

/** Short line with no sentence-ending punctuation: a headline or section heading. */
function looksLikeHeading(line: string): boolean {
  return line.length <= 120 && !/[.!?:;,”"’)]$/.test(line) && line.split(/\s+/).length <= 16;
}

/** The ISO date of a line that states only a date (and words like "Published" or "Updated"); "" otherwise. */
function dateLine(line: string): string {
  if (line.split(/\s+/).length > DATE_LINE_WORDS) return "";
  const found = findDate(line);
  if (!found) return "";
  const rest = line.replace(found.text, " ").replace(/[^\p{L}]+/gu, " ").trim();
  return rest === "" || rest.split(" ").length <= 2 ? found.iso : "";
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  return norm(a) === norm(b);
}
