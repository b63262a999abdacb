import matter from "gray-matter";

/** Fields a leading metadata header may give. */
export interface HeaderFields {
  url: string;
  title: string;
  publisher: string;
  /** As written; normalised later. */
  published: string;
  author: string;
}

/** Names a header line may use for each field (case-insensitive). */
const NAMES: Record<string, keyof HeaderFields> = {
  url: "url",
  link: "url",
  canonical: "url",
  "source url": "url",
  title: "title",
  headline: "title",
  publisher: "publisher",
  site: "publisher",
  outlet: "publisher",
  "site name": "publisher",
  published: "published",
  date: "published",
  "published at": "published",
  "published on": "published",
  "date published": "published",
  author: "author",
  byline: "author",
  by: "author",
};

/** Fields of a YAML front matter block (`.md` files), by the same names a header may use; other keys are ignored. */
export function fieldsFromFrontMatter(data: Record<string, unknown>): Partial<HeaderFields> {
  const fields: Partial<HeaderFields> = {};
  for (const [key, value] of Object.entries(data)) {
    const field = NAMES[key.trim().toLowerCase()];
    if (!field || fields[field] !== undefined) continue;
    if (value instanceof Date) fields[field] = value.toISOString().replace(/T00:00:00\.000Z$/, "");
    else if (typeof value === "string" || typeof value === "number") fields[field] = String(value).trim();
  }
  return fields;
}

/** `Title: …`, `url = …`, `PUBLISHED - …`: a known name, then `:`, `=` or a spaced dash. */
const LINE = /^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*(?::|=|\s[-–]\s)\s*(.*?)\s*$/;

/**
 * Split a leading metadata header (`url:`, `title:`, `publisher:`, `published:`, `author:` lines, in
 * any order and case, optionally between `---` lines) from the text after it. The header ends at the
 * first line that is not one of those; a URL line must hold an http(s) URL. Pure.
 */
export function splitHeader(raw: string): { fields: Partial<HeaderFields>; rest: string; lines: number } {
  const normalised = raw.replace(/\r\n?/g, "\n");
  // A Markdown file's YAML front matter (with `id:` and the like) is read as YAML, not line by line.
  if (/^---\n/.test(normalised)) {
    try {
      const parsed = matter(normalised, {});
      const fields = fieldsFromFrontMatter(parsed.data);
      if (Object.keys(fields).length > 0) return { fields, rest: parsed.content, lines: Object.keys(parsed.data).length };
    } catch {
      // Not YAML: read it as header lines below.
    }
  }
  const lines = normalised.split("\n");
  const fields: Partial<HeaderFields> = {};
  let i = 0;
  let fenced = false;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  if (lines[i]?.trim() === "---") {
    fenced = true;
    i++;
  }
  let taken = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (fenced && line.trim() === "---") {
      i++;
      break;
    }
    if (line.trim() === "") {
      if (fenced) continue;
      break;
    }
    const m = LINE.exec(line);
    const field = m ? NAMES[m[1]!.trim().toLowerCase()] : undefined;
    if (!m || !field || (field === "url" && !/^https?:\/\/\S+$/.test(m[2]!)) || fields[field] !== undefined) break;
    fields[field] = m[2]!;
    taken++;
  }
  if (taken === 0) return { fields: {}, rest: raw, lines: 0 };
  return { fields, rest: lines.slice(i).join("\n"), lines: taken };
}
