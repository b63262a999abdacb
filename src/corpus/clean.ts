import { classifyLines, isHeadlineShaped, type ChromeKind } from "./chrome.js";
import { findDate } from "./date.js";

/**
 * Turn raw article text copied from a news site into our article format: site chrome removed (see
 * `chrome.ts`), lines a narrow page wrapped joined again, section headings marked, and metadata taken
 * only from what the text states. Pure; used by `npm run import` for plain text (HTML goes through
 * Readability).
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
  /** Paragraphs separated by blank lines; `## ` headings. */
  body: string;
  /** Lines that were dropped, for the importer to report. */
  dropped: string[];
  /** How many dropped lines were of each kind of chrome. */
  droppedKinds: Partial<Record<ChromeKind | "menu", number>>;
}

/**
 * Words of photo viewers and share bars that stand alone on a line. Menus and topic bars (runs of
 * short unpunctuated lines) are dropped by shape instead, whatever their words.
 */
const NAV_LINES = new Set(["close", "photo", "bigphoto", "share", "advertisement"]);
/** Most words of a line that can be menu or toolbar chrome when it sits in a run of such lines. */
const STUB_WORDS = 3;
/** Most words of a heading; a longer unpunctuated line is a standfirst or a sentence cut short. */
const HEADING_MAX_WORDS = 12;
const MORE_FROM = /^More From (.+)$/;
/** "By Mira Castell": the name of a byline of up to four capitalised words. */
const BYLINE_NAME = /^(?:[-–—•]\s*)?By\s+(\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3})(?=$|,|\s*[·|–—-]|\s+in\s|\s+\p{Lu}[\p{L}]+\s+\w+\s+\d)/u;
/** Words a heading never ends on: a line ending on one was cut mid-sentence. */
const OPEN_ENDINGS =
  /\b(?:a|an|the|of|to|and|or|but|that|which|who|with|from|for|by|in|at|as|than|its|their|his|her|is|are|was|were|be|been|has|have|had|will|would|could|should|may|might)$/i;

/**
 * `known.title`, `known.publisher`: what a metadata header said; lines repeating them are dropped.
 */
export function cleanArticleText(raw: string, known: { title?: string | undefined; publisher?: string | undefined } = {}): CleanedArticle {
  const lines = joinWrapped(
    raw
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map((l) => l.trim()),
  );
  const { kinds, titleAt } = classifyLines(lines, known);
  const dropped: string[] = [];
  const droppedKinds: CleanedArticle["droppedKinds"] = {};
  const drop = (line: string, kind: ChromeKind | "menu") => {
    dropped.push(line);
    droppedKinds[kind] = (droppedKinds[kind] ?? 0) + 1;
  };
  let publisher = "";
  let published = "";
  let author = "";
  const kept: string[] = [];
  let title = "";
  const stub = (i: number) => {
    const l = lines[i];
    return l !== undefined && kinds[i] === undefined && l.split(/\s+/).length <= STUB_WORDS && /^[\p{L}\s]+$/u.test(l);
  };
  for (const [i, line] of lines.entries()) {
    if (i === titleAt) {
      title = line;
      continue;
    }
    const more = MORE_FROM.exec(line);
    if (more) {
      publisher ||= more[1]!.trim();
      drop(line, "outlet");
      continue;
    }
    const kind = kinds[i];
    if (kind !== undefined) {
      if (kind === "byline") author ||= BYLINE_NAME.exec(line)?.[1] ?? "";
      if (kind === "date") published ||= findDate(line)?.iso ?? "";
      drop(line, kind);
      continue;
    }
    if (NAV_LINES.has(line.toLowerCase()) || (stub(i) && (stub(i - 1) || stub(i + 1)))) {
      drop(line, "menu");
      continue;
    }
    kept.push(line);
  }

  const blocks = kept.map((line) => (looksLikeHeading(line) ? `## ${line}` : line));
  return { title, publisher, published, author, body: blocks.join("\n\n") + "\n", dropped, droppedKinds };
}

/** A section heading: short, unpunctuated, and not a sentence cut off mid-clause. */
function looksLikeHeading(line: string): boolean {
  return isHeadlineShaped(line) && line.split(/\s+/).length <= HEADING_MAX_WORDS && !OPEN_ENDINGS.test(line);
}

/**
 * Text copied from a narrow column breaks paragraphs into lines; a line that ends without sentence
 * punctuation and is followed by one starting in lower case is the same paragraph. Blank lines are
 * removed.
 */
function joinWrapped(lines: string[]): string[] {
  const out: string[] = [];
  let prevBlank = true;
  for (const line of lines) {
    if (line === "") {
      prevBlank = true;
      continue;
    }
    const last = out[out.length - 1];
    if (!prevBlank && last !== undefined && /^\p{Ll}/u.test(line) && !/[.!?:;”"’)…]$/.test(last)) out[out.length - 1] = `${last} ${line}`;
    else out.push(line);
    prevBlank = false;
  }
  return out;
}
