import type { Answer, Citation } from "./answer.js";

/** `Bloomberg: Turkey could reopen the border “within the next six months.” [1]` */
export function citationLine(c: Citation, quoted: boolean): string {
  const quote = quoted ? `“${c.quote}”` : c.quote;
  // "the Foreign Ministry" starts a line as "The Foreign Ministry"; names and ids stay as written.
  const source = /^the\s/.test(c.source) ? capitalise(c.source) : c.source;
  return `${source}: ${quote} [${c.n}]`;
}

/** `[1] Title — Publisher, 2025-11-29. https://… (passage kars-gyumri-railway-talks#p2)` */
export function referenceLine(c: Citation): string {
  const title = c.title || `Untitled article (${c.articleId})`;
  const meta = [c.publisher || "publisher unknown", c.published ? c.published.slice(0, 10) : "date unknown"].join(", ");
  return `[${c.n}] ${title} — ${meta}.${c.url ? ` ${c.link ?? c.url}` : ""} (passage ${c.passageId}, chars ${c.start}–${c.end})`;
}

/** The whole answer for a terminal: lines of quotes, then references (or the abstention and related passages). */
export function renderAnswerText(a: Answer): string {
  const lines = [a.answer];
  if (a.note) lines.push("", `Note: ${a.note}`);
  if (a.answered && a.citations.length > 0) {
    lines.push("", "References:", ...a.citations.map(referenceLine));
  } else if (a.related.length > 0) {
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
