import { cleanArticleText } from "../corpus/clean.js";
import { normaliseDate } from "../corpus/date.js";
import { splitHeader } from "../corpus/header.js";
import { extractPage } from "./html.js";
import type { ImportedArticle, ImportOverrides, ImportProblem } from "./source.js";

/**
 * Text (plain, Markdown, or HTML) to an article. Plain text may open with a metadata header; HTML
 * goes through Readability. Overrides win over what the text says. Pure.
 */
export function articleFromText(
  source: string,
  text: string,
  kind: "html" | "text",
  overrides: ImportOverrides = {},
  fetchedUrl = "",
): ImportedArticle | ImportProblem {
  const notes: string[] = [];
  let meta: Omit<ImportedArticle, "source" | "notes" | "body">;
  let body: string;
  if (kind === "html") {
    const page = extractPage(text, fetchedUrl);
    meta = { title: page.title, publisher: page.publisher, url: page.url, published: page.published, author: page.author };
    body = page.body;
  } else {
    const { fields, rest, lines } = splitHeader(text);
    const cleaned = cleanArticleText(rest, { title: fields.title, publisher: fields.publisher });
    const headerDate = fields.published !== undefined ? normaliseDate(fields.published) : "";
    if (fields.published && !headerDate) notes.push(`date "${fields.published}" is not a complete, unambiguous date: left empty`);
    meta = {
      title: fields.title ?? cleaned.title,
      publisher: fields.publisher ?? cleaned.publisher,
      url: fields.url ?? fetchedUrl,
      published: headerDate || cleaned.published,
      author: fields.author ?? cleaned.author,
    };
    body = cleaned.body;
    if (lines > 0) notes.push(`${lines} header line(s) read`);
    if (cleaned.dropped.length > 0) notes.push(`${cleaned.dropped.length} line(s) of site chrome dropped`);
  }
  if (overrides.published !== undefined) {
    const date = normaliseDate(overrides.published);
    if (!date) return { source, problem: `--published "${overrides.published}" is not a complete, unambiguous date` };
    meta.published = date;
  }
  if (overrides.publisher !== undefined) meta.publisher = overrides.publisher;
  if (overrides.url !== undefined) meta.url = overrides.url;
  body = body.normalize("NFC").trim();
  if (!body) return { source, problem: kind === "html" ? "no article text found on the page" : "empty body (nothing but a header and site chrome)" };
  if (meta.url && !/^https?:\/\/\S+$/.test(meta.url)) return { source, problem: `url "${meta.url}" is not an absolute http(s) URL` };
  const nfc = (s: string) => s.replace(/\s+/g, " ").trim().normalize("NFC");
  return {
    source,
    title: nfc(meta.title),
    publisher: nfc(meta.publisher),
    url: meta.url.trim(),
    published: meta.published,
    author: nfc(meta.author),
    body,
    notes,
  };
}
