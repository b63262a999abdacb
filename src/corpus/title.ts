import { sentenceSplitter } from "../text/nlp.js";

/** Most characters of a title made from a sentence; a longer sentence is cut at a word and ends with "…". */
export const DERIVED_TITLE_MAX_CHARS = 100;

/** "NEW YORK (AP) — ", "WASHINGTON − ", "LAHAINA, Hawai‘i — ": a dateline, which says where, not what. */
const DATELINE = /^[\p{Lu}][\p{Lu}\p{M} .,'’‘-]*(?:,\s*[\p{L}.‘’' ]+)?\s*(?:\([^)]{1,20}\))?\s*[—–−-]{1,2}\s*(?:\([^)]{1,20}\)\s*[—–−-]\s*)?/u;

/**
 * Whether a title only repeats the opening of the article's first paragraph, as a title made by
 * `titleFromBody` does (a trailing "…" aside): such a title says nothing the body does not, so it adds
 * no title terms to the index and does not name the article as a source. Pure.
 */
export function titleRepeatsOpening(title: string, body: string): boolean {
  const words = title.replace(/…$/, "").trim();
  if (!words) return false;
  const first = body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .find((p) => p !== "" && !p.startsWith("## ") && !p.startsWith("Caption: "));
  return first !== undefined && first.replace(/\s+/g, " ").includes(words);
}

/**
 * A title for an article whose source gave none: the first sentence of its first paragraph (not a
 * heading), without a dateline, cut at a word to `DERIVED_TITLE_MAX_CHARS`. "" for an empty body. Pure.
 */
export function titleFromBody(body: string): string {
  const first = body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .find((p) => p !== "" && !p.startsWith("## ") && !p.startsWith("Caption: "));
  if (!first) return "";
  const sentence = (sentenceSplitter().readDoc(first).sentences().out()[0] ?? first).trim();
  const text = sentence
    .replace(DATELINE, "")
    .replace(/[.!?]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= DERIVED_TITLE_MAX_CHARS) return text;
  const cut = text.slice(0, DERIVED_TITLE_MAX_CHARS);
  const atWord = cut.lastIndexOf(" ");
  return `${(atWord > 0 ? cut.slice(0, atWord) : cut).replace(/[\s,;:–—-]+$/, "")}…`;
}
