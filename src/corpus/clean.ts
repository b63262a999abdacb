/**
 * Turn raw article text copied from a news site into our article format: site chrome removed,
 * photo captions kept once and marked, section headings marked, and metadata taken only from what
 * the text states. Pure; used by `npm run import`.
 */
export interface CleanedArticle {
  /** Headline, when the text opens with one; empty otherwise. */
  title: string;
  /** Publisher named by a "More From X" footer; empty otherwise. */
  publisher: string;
  /** ISO timestamp from the site's date line; empty otherwise. */
  published: string;
  /** Paragraphs separated by blank lines; `## ` headings, `Caption: ` captions. */
  body: string;
  /** Lines that were dropped, for the importer to report. */
  dropped: string[];
}

const NAV_LINES = new Set(["close", "newsletters newsletters", "newsletters", "x instagram youtube", "photo", "bigphoto", "share", "advertisement"]);
const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";
const DATE_LINE = new RegExp(`^(${MONTHS}) (\\d{1,2}), (\\d{4})(?: (\\d{1,2}):(\\d{2}) ?(AM|PM))?(?: GMT([+-]\\d{2}):?(\\d{2}))?$`);
const MORE_FROM = /^More From (.+)$/;
const CAPTION_HINT = /\((?:[A-Z]{2,}\s)?Photo\b[^)]*\)\s*$|\bPhoto via\b/;

export function cleanArticleText(raw: string): CleanedArticle {
  const lines = raw.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim());
  const dropped: string[] = [];
  let publisher = "";
  let published = "";
  const kept: string[] = [];
  for (const line of lines) {
    if (line === "") continue;
    if (NAV_LINES.has(line.toLowerCase())) {
      dropped.push(line);
      continue;
    }
    const date = DATE_LINE.exec(line);
    if (date) {
      if (!published) published = toIso(date);
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
    if (i === 0 && looksLikeHeading(line)) {
      title = line;
      return;
    }
    blocks.push(looksLikeHeading(line) ? `## ${line}` : line);
  });
  return { title, publisher, published, body: blocks.join("\n\n") + "\n", dropped };
}

/** Short line with no sentence-ending punctuation: a headline or section heading. */
function looksLikeHeading(line: string): boolean {
  return line.length <= 120 && !/[.!?:;,”"’)]$/.test(line) && line.split(/\s+/).length <= 16;
}

function toIso(m: RegExpExecArray): string {
  const [, month, day, year, hh, mm, ampm, tzh, tzm] = m;
  const mon = String(MONTHS.split("|").indexOf(month!) + 1).padStart(2, "0");
  const date = `${year}-${mon}-${day!.padStart(2, "0")}`;
  if (!hh) return date;
  let hour = Number(hh) % 12;
  if (ampm === "PM") hour += 12;
  const time = `${String(hour).padStart(2, "0")}:${mm}:00`;
  return tzh ? `${date}T${time}${tzh}:${tzm}` : `${date}T${time}`;
}
