import { titleRepeatsOpening } from "../corpus/title.js";
import type { Answer, Citation } from "./answer.js";

/** `Bloomberg: Turkey could reopen the border “within the next six months.” [1]` */
export function citationLine(c: Citation, quoted: boolean): string {
  const quote = quoted ? `“${c.quote}”` : c.quote;
  // "the Foreign Ministry" starts a line as "The Foreign Ministry"; names and ids stay as written.
  const source = /^the\s/.test(c.source) ? capitalise(c.source) : c.source;
  return `${source}: ${quote} [${c.n}]`;
}

/** How references and lists name an article: its title, or its id when it has none. */
export function articleLabel(title: string, id: string): string {
  return title || id;
}

/** What a reference can say about an article; empty fields are unknown. */
export interface ReferenceFacts {
  title: string;
  id: string;
  publisher: string;
  /** ISO date, possibly with a time; only the date is shown. */
  published: string;
}

/** How `articleReference` writes its pieces. */
export interface ReferenceStyle {
  /** Applied to each piece of text (Discord Markdown escaping), not to the separators. Default: none. */
  escape?: (text: string) => string;
  /** Show the publication time and offset when the article has them, not only the date. Default false. */
  time?: boolean;
  /** Wraps the (escaped) title, e.g. in a Discord link to the quote. Default: none. */
  label?: (title: string) => string;
}

/**
 * An article named as a reference, from what is known only: `Title — Publisher, 2025-11-29`,
 * `Title — Publisher`, `Title, 2025-11-29` or `Title` (the id when there is no title). No "unknown"
 * placeholders: a reader checks what is there.
 */
export function articleReference(a: ReferenceFacts, style: ReferenceStyle = {}): string {
  const escape = style.escape ?? ((t: string) => t);
  const label = (style.label ?? ((t: string) => t))(escape(articleLabel(a.title, a.id)));
  const date = style.time ? a.published : a.published.slice(0, 10);
  if (a.publisher) return `${label} — ${escape(a.publisher)}${date ? `, ${date}` : ""}`;
  return date ? `${label}, ${date}` : label;
}

/**
 * The source of a quote when the article names no speaker: its publisher, else "the article “Title”",
 * else "the article" — never an id, which reads like a name but says nothing. A title made from the
 * first sentence (it repeats the body's opening) is no name for the article either.
 */
export function articleSource(article: { publisher: string; title: string; body?: string }): string {
  if (article.publisher) return article.publisher;
  const named = article.title && !(article.body !== undefined && titleRepeatsOpening(article.title, article.body));
  return named ? `the article “${article.title}”` : "the article";
}

/** `[1] Title — Publisher, 2025-11-29. https://… (passage kars-gyumri-railway-talks#p2)`, showing only what is known. */
export function referenceLine(c: Citation): string {
  const ref = articleReference({ title: c.title, id: c.articleId, publisher: c.publisher, published: c.published });
  // A title cut with "…" (or ending in "?") already closes the sentence.
  const stop = /[.!?…]$/.test(ref) ? "" : ".";
  return `[${c.n}] ${ref}${stop}${c.url ? ` ${c.link ?? c.url}` : ""} (passage ${c.passageId}, chars ${c.start}–${c.end})`;
}

/** How a decline introduces the sentence that came closest: shown, but not as an answer. */
export const CLOSEST_LABEL = "The closest I found, which does not answer the question";

/** The whole answer for a terminal: lines of quotes, then references (or the abstention and related passages). */
export function renderAnswerText(a: Answer): string {
  const lines = [a.answer];
  if (a.note) lines.push("", `Note: ${a.note}`);
  if (a.answered && a.citations.length > 0) {
    lines.push("", "References:", ...a.citations.map(referenceLine));
    return lines.join("\n");
  }
  if (a.closest) lines.push("", `${CLOSEST_LABEL}:`, citationLine(a.closest, false), referenceLine(a.closest));
  if (a.related.length > 0) {
    lines.push("", "May be related:", ...a.related.map((r) => `- ${articleLabel(r.title, r.articleId)} (${r.passageId}): ${truncate(r.text, 160)}`));
  }
  return lines.join("\n");
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `s` cut to at most `max` characters, with an ellipsis when it was cut. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
