import { escapeMarkdown, MessageFlags, type RepliableInteraction } from "discord.js";
import type { Answer, Citation } from "../answer/answer.js";
import { articleReference, capitalise, CLOSEST_LABEL } from "../answer/format.js";
import { printable } from "../scrub.js";
import { NO_MENTIONS } from "./command.js";
import { DISCORD_LIMITS, truncate } from "./limits.js";

/** Discord's limits on one message (all of them, and the check before sending, are in `limits.ts`). */
export const LIMITS = DISCORD_LIMITS;
export { truncate };

/** Text from users or the corpus, made inert: no markdown, no pings (a zero-width space after every @), no NUL or lone surrogates. */
export function escapeText(text: string): string {
  return escapeMarkdown(printable(text), { maskedLink: true, heading: true, bulletedList: true, numberedList: true })
    .replace(/(?<!\\)([[\]])/g, "\\$1")
    .replace(/@/g, "@\u200b")
    .replace(/<(?=[@#]|a?:)/g, "<\u200b");
}

/** A name the user gave (an id to look up) in a code span: escaped, at most 100 characters, no backtick to end the span early. */
export function codeSpan(text: string): string {
  return `\`${escapeText(truncate(text, 100)).replace(/`/g, "'")}\``;
}

/** `Title — Publisher, 2025-11-29 · \`id#p3\``, showing only what is known; the title links to the quote itself when there is a deep link. */
export function referenceText(c: Pick<Citation, "n" | "title" | "articleId" | "publisher" | "published" | "url" | "passageId" | "link">): string {
  const href = c.link ?? c.url;
  const ref = articleReference(
    { title: c.title, id: c.articleId, publisher: c.publisher, published: c.published },
    { escape: escapeText, ...(href ? { label: (t: string) => `[${t}](<${href}>)` } : {}) },
  );
  return `[${c.n}] ${ref} · \`${c.passageId}\``;
}

/** One citation as a block that is never split: the attributed quote and its reference. */
export function citationBlock(c: Citation, maxQuote = 1500): string {
  // A quote longer than a message could hold is cut with an ellipsis, never split across messages.
  const quote = c.quote.length > maxQuote ? `${c.quote.slice(0, maxQuote).trimEnd()}…` : c.quote;
  const source = /^the\s/.test(c.source) ? capitalise(c.source) : c.source;
  return `> **${escapeText(source)}:** ${escapeText(quote)} [${c.n}]\n-# ${referenceText(c)}`;
}

/**
 * The messages that show an answer, each within Discord's 2,000 characters: the question, then
 * citations, split only between citations. Abstentions list the closest passages.
 */
export function renderAnswer(answer: Answer): string[] {
  const head = `**Q:** ${escapeText(answer.question.trim())}`;
  const blocks: string[] = [];
  if (answer.answered && answer.prose) blocks.push(escapeText(truncate(answer.prose, 1500)));
  if (answer.answered) blocks.push(...answer.citations.map((c) => citationBlock(c)));
  else {
    blocks.push(escapeText(answer.answer));
    if (answer.closest) blocks.push(`**${CLOSEST_LABEL}:**\n${citationBlock(answer.closest)}`);
    if (answer.related.length > 0) {
      blocks.push(["**May be related:**", ...answer.related.map((r) => `- \`${r.passageId}\` ${escapeText(truncate(r.text, 200))}`)].join("\n"));
    }
  }
  if (answer.note) blocks.push(`-# ${escapeText(answer.note)}`);
  return pack([truncate(head, 400), ...blocks]);
}

/** Join blocks into as few messages as fit, never splitting a block. */
export function pack(blocks: string[], limit: number = LIMITS.content, separator = "\n\n"): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of blocks) {
    const block = raw.length > limit ? truncate(raw, limit) : raw;
    if (!current) current = block;
    else if (current.length + separator.length + block.length <= limit) current += `${separator}${block}`;
    else {
      out.push(current);
      current = block;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Blocks as the answer to an interaction: packed into as few messages as fit, the first its reply, the rest follow-ups. */
export async function replyInParts(interaction: RepliableInteraction, blocks: string[], opts: { ephemeral?: boolean } = {}): Promise<void> {
  const flags = opts.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
  const [first = "", ...rest] = pack(blocks);
  await interaction.reply({ content: first, allowedMentions: NO_MENTIONS, ...flags });
  for (const content of rest) await interaction.followUp({ content, allowedMentions: NO_MENTIONS, ...flags });
}
