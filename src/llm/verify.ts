import type { Citation } from "../answer/answer.js";
import type { AnswerContext } from "../answer/answerer.js";
import { findVerbatim, nearMatch } from "../answer/match.js";
import type { Article } from "../corpus/article.js";
import type { Passage } from "../passages/passage.js";
import type { LlmAnswer } from "./schema.js";

/** Least similarity for a near-verbatim quote to be replaced by the corpus text (rather than dropped). */
export const REPAIR_SIMILARITY = 0.85;

export interface VerifiedAnswer {
  /** The model's prose with markers renumbered to the citations kept; unverified inline quotes unquoted. */
  answer: string;
  citations: Citation[];
  verification: { kept: number; repaired: number; dropped: number; notes: string[] };
}

interface Located {
  passage: Passage;
  article: Article;
  start: number;
  end: number;
}

/**
 * Check every claim against the passage it cites before anything is shown. Exact (after folding
 * whitespace and quote marks): kept. Verbatim in another retrieved passage: re-attributed. Nearly
 * exact: replaced by the corpus text. Otherwise dropped, and so is a claim left with no quote.
 */
export function verifyLlmAnswer(reply: LlmAnswer, ctx: AnswerContext): VerifiedAnswer {
  const notes: string[] = [];
  let kept = 0;
  let repaired = 0;
  let dropped = 0;
  const retrieved = ctx.passages.map((p) => p.passage);
  const byMarker = new Map<number, { loc: Located; source: string }>();

  for (const claim of reply.claims) {
    const cited = retrieved.find((p) => p.id === claim.passageId);
    const quote = claim.quote.trim();
    let loc: Located | undefined;
    if (cited && quote) {
      const exact = locate(cited, quote, ctx, "exact");
      if (exact) {
        loc = exact;
        kept += 1;
      }
    }
    if (!loc && quote) {
      for (const other of retrieved.filter((p) => p !== cited)) {
        loc = locate(other, quote, ctx, "exact");
        if (loc) {
          repaired += 1;
          notes.push(`[${claim.marker}] quote is from ${other.id}, not ${claim.passageId}: re-attributed`);
          break;
        }
      }
    }
    if (!loc && quote) {
      for (const p of cited ? [cited, ...retrieved.filter((x) => x !== cited)] : retrieved) {
        loc = locate(p, quote, ctx, "near");
        if (loc) {
          repaired += 1;
          notes.push(`[${claim.marker}] quote differed from ${p.id}: replaced by the exact text`);
          break;
        }
      }
    }
    if (!loc) {
      dropped += 1;
      notes.push(`[${claim.marker}] quote not found in ${cited ? claim.passageId : `any retrieved passage (cited ${claim.passageId})`}: dropped`);
      continue;
    }
    if (!byMarker.has(claim.marker)) byMarker.set(claim.marker, { loc, source: sourceFor(claim.source, loc) });
  }

  // Renumber in order of first appearance in the prose; claims the prose never marks go last.
  const order: number[] = [];
  for (const m of reply.answer.matchAll(/\[(\d+)\]/g)) {
    const n = Number(m[1]);
    if (byMarker.has(n) && !order.includes(n)) order.push(n);
  }
  for (const n of byMarker.keys()) if (!order.includes(n)) order.push(n);
  const renumber = new Map(order.map((old, i) => [old, i + 1]));
  const citations: Citation[] = order.map((old, i) => {
    const { loc, source } = byMarker.get(old)!;
    return {
      n: i + 1,
      source,
      quote: loc.article.body.slice(loc.start, loc.end),
      articleId: loc.article.id,
      passageId: loc.passage.id,
      start: loc.start,
      end: loc.end,
      title: loc.article.title,
      publisher: loc.article.publisher,
      published: loc.article.published,
      url: loc.article.url,
    };
  });
  let answer = reply.answer.replace(/\s*\[(\d+)\]/g, (whole, n: string) => {
    const to = renumber.get(Number(n));
    return to ? whole.replace(n, String(to)) : "";
  });
  // Quotation marks in the prose are a claim of verbatim text too: keep them only around corpus text.
  answer = answer.replace(/[“"]([^”"]{3,})[”"]/g, (whole, inner: string) => {
    if (citations.some((c) => findVerbatim(inner, c.quote)) || retrieved.some((p) => findVerbatim(inner, p.text))) return whole;
    notes.push(`unverified quotation marks removed from the answer text: "${inner.slice(0, 60)}"`);
    return inner;
  });
  return { answer: answer.trim(), citations, verification: { kept, repaired, dropped, notes } };
}

function locate(passage: Passage, quote: string, ctx: AnswerContext, mode: "exact" | "near"): Located | undefined {
  const article = ctx.article(passage.articleId);
  if (!article) return undefined;
  const near = mode === "near" ? nearMatch(quote, passage.text) : undefined;
  const hit = mode === "exact" ? findVerbatim(quote, passage.text) : near && near.similarity >= REPAIR_SIMILARITY ? near : undefined;
  if (!hit) return undefined;
  return { passage, article, start: passage.start + hit.start, end: passage.start + hit.end };
}

/** The model's named source only if the passage names it; otherwise the publisher (or the article). */
function sourceFor(claimed: string, loc: Located): string {
  const name = claimed.trim();
  if (name && loc.passage.text.toLowerCase().includes(name.toLowerCase().replace(/^the\s+/, ""))) return name;
  return loc.article.publisher || loc.article.title || loc.article.id;
}
