import type { Answer, Citation } from "./answer.js";

/** `Bloomberg: Turkey could reopen the border “within the next six months.” [1]` */
export function citationLine(c: Citation, quoted: boolean): string {
  const quote = quoted ? `“${c.quote}”` : c.quote;
  // "the Foreign Ministry" starts a line as "The Foreign Ministry"; names and ids stay as written.
  const source = /^the\s/.test(c.source) ? capitalise(c.source) : c.source;
  return `${source}: ${quote} [${c.n}]`;
}

/** How references and lists name an article: its title, or `Untitled article (<id>)` when it has none. */
export function articleLabel(title: string, id: string): string {
  return title || `Untitled article (${id})`;
}

/**
 * The source of a quote when the article names no speaker: its publisher, else "the article “Title”",
 * else "the article" — never an id, which reads like a name but says nothing.
 */
export function articleSource(article: { publisher: string; title: string }): string {
  if (article.publisher) return article.publisher;
  return article.title ? `the article “${article.title}”` : "the article";
}

/** `[1] Title — Publisher, 2025-11-29. https://… (passage kars-gyumri-railway-talks#p2)` */
export function referenceLine(c: Citation): string {
  const title = articleLabel(c.title, c.articleId);
  const meta = [c.publisher || "publisher unknown", c.published ? c.published.slice(0, 10) : "date unknown"].join(", ");
  return `[${c.n}] ${title} — ${meta}.${c.url ? ` ${c.link ?? c.url}` : ""} (passage ${c.passageId}, chars ${c.start}–${c.end})`;
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
    lines.push("", "May be related:", ...a.related.map((r) => `- ${r.title || r.articleId} (${r.passageId}): ${truncate(r.text, 160)}`));
  }
  return lines.join("\n");
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}
