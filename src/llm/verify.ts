import type { Citation } from "../answer/answer.js";
import { cite } from "../answer/citation.js";
import type { AnswerContext } from "../answer/answerer.js";
import { findVerbatim, matchWords, nearMatch, normalizeForMatch } from "../answer/match.js";
import type { Article } from "../corpus/article.js";
import type { IndexData } from "../index/store.js";
import type { Attribution } from "../passages/attribution.js";
import type { Passage } from "../passages/passage.js";
import { capProse, clip, markersInOrder, proseSentences, renumberMarkers } from "./prose.js";
import type { LlmAnswer, LlmClaim } from "./schema.js";
import { changesMeaning, checkSentence, stemsOnly, type Bridge, type SupportEvidence } from "./support.js";
import { articleSource } from "../answer/format.js";

/** Least word-level similarity for a near-verbatim quote to be replaced by the corpus text (rather than dropped). */
export const REPAIR_SIMILARITY = 0.85;
/** A quote shorter than this many words cannot support a claim ("Turkey", "he said"): dropped. */
export const MIN_QUOTE_WORDS = 3;

export interface Verification {
  /** Quotes found verbatim in the passage they cite. */
  kept: number;
  /** Quotes re-attributed to the retrieved passage that holds them, or replaced by the nearly identical corpus text. */
  repaired: number;
  /** Claims shown nowhere: quote not in the passages, too short, changing a number or a negation, or malformed. */
  dropped: number;
  /** One line per repair or drop, for `ask --json` and the logs. */
  notes: string[];
}

export interface VerifiedAnswer {
  /** The model's prose, markers renumbered to the citations shown; only sentences its quotes support. */
  answer: string;
  /** Prose sentences removed because nothing verified supports them (failed claims, or {@link checkSentence}). */
  removedSentences: number;
  /** Of those, the ones removed by {@link checkSentence} although their quotes verified. */
  unsupportedSentences: number;
  citations: Citation[];
  verification: Verification;
}

/** Where verification reads what the build stored of the corpus: attributions and section headings. */
export type StoredCorpus = Pick<IndexData, "attributionsOf" | "sectionHeading">;

export interface VerifyOptions {
  /** The index the passages were retrieved from. */
  index: StoredCorpus;
  /** Paraphrases allowed when checking prose sentences against their quotes. Default: stems only. */
  bridge?: Bridge;
}

interface Located {
  passage: Passage;
  article: Article;
  /** Offsets into `article.body`. */
  start: number;
  end: number;
}

type Outcome = { status: "kept" | "repaired"; loc: Located; note?: string } | { status: "dropped"; note: string };

/**
 * Check every claim before anything is shown, against the retrieved passages only:
 * - verbatim in the passage it cites (after folding whitespace, quote marks and dashes): kept, with the
 *   corpus text and offsets;
 * - verbatim in another retrieved passage: re-attributed to it (repaired) — the quote is real, the model
 *   only mislabelled it, and the citation must point where the words are;
 * - nearly verbatim (≥ REPAIR_SIMILARITY) in a retrieved passage: replaced by the exact corpus text
 *   (repaired), unless the words that differ include a number or a negation — then the prose around it
 *   probably states the wrong fact, so it is dropped;
 * - otherwise, or shorter than MIN_QUOTE_WORDS: dropped, with its claim.
 * Markers are renumbered in order of appearance; a sentence whose markers all failed is removed from the
 * prose, and so is every sentence its cited quotes do not support ({@link checkSentence}: numbers, names,
 * negations and words found in the quotes or their passages, quotation marks only around corpus text,
 * attributions only to the quote's speaker or publisher). The prose is cut to MAX_PROSE_CHARS.
 * A citation's source is the speaker the article's text gives the quote, else the model's name for it
 * if the article mentions it, else the publisher.
 */
export function verifyLlmAnswer(reply: LlmAnswer, ctx: AnswerContext, opts: VerifyOptions): VerifiedAnswer {
  const notes = [...reply.rejected.notes];
  const attributions = attributionsOf(opts.index);
  const speakers = (loc: Located) => speakersOf(loc, attributions(loc.article.id));
  const counts = { kept: 0, repaired: 0, dropped: reply.rejected.count };
  const retrieved = ctx.passages.map((p) => p.passage);

  const verified: Array<{ marker: number; loc: Located; source: string }> = [];
  for (const claim of reply.claims) {
    const outcome = checkClaim(claim, retrieved, ctx);
    counts[outcome.status] += 1;
    if (outcome.note) notes.push(outcome.note);
    if (outcome.status !== "dropped")
      verified.push({ marker: claim.marker, loc: outcome.loc, source: speakers(outcome.loc)[0] ?? sourceFor(claim.source, outcome.loc) });
  }

  // Number citations in the order the prose first marks them; a quote cited twice is shown once.
  const inProse = markersInOrder(reply.answer);
  const ordered = [...verified].sort((a, b) => rank(inProse, a.marker) - rank(inProse, b.marker));
  const citations: Citation[] = [];
  const numbersOf = new Map<number, number[]>();
  for (const v of ordered) {
    let n = citations.findIndex((c) => c.articleId === v.loc.article.id && c.start === v.loc.start && c.end === v.loc.end) + 1;
    if (n === 0) {
      n = citations.length + 1;
      citations.push(toCitation(n, v.loc, v.source));
    }
    const list = numbersOf.get(v.marker) ?? [];
    if (!list.includes(n)) list.push(n);
    numbersOf.set(v.marker, list);
  }

  const capped = capProse(reply.answer);
  if (capped.cut) notes.push(capped.note);
  const rewritten = renumberMarkers(capped.text, numbersOf);
  notes.push(...rewritten.notes);
  const evidence = (ns: number[]): SupportEvidence => {
    const cited = citations.filter((c) => ns.length === 0 || ns.includes(c.n));
    const located = cited.map((c) => ordered.find((v) => v.loc.article.id === c.articleId && v.loc.start === c.start && v.loc.end === c.end)!.loc);
    return {
      quotes: cited.map((c) => c.quote),
      context: located.flatMap((l) => [l.passage.text, opts.index.sectionHeading(l.passage)?.text, l.article.title].filter((t): t is string => Boolean(t))),
      sources: [...new Set(located.flatMap((l) => [...speakers(l), l.article.publisher]).filter(Boolean))],
    };
  };
  const supported = supportedSentences(rewritten.text, evidence, opts.bridge ?? stemsOnly);
  notes.push(...supported.notes);
  const removedSentences = rewritten.notes.filter((n) => n.startsWith("sentence removed")).length + supported.removed;
  return { answer: supported.text, removedSentences, unsupportedSentences: supported.removed, citations, verification: { ...counts, notes } };
}

/**
 * Keep the sentences of renumbered prose that their cited quotes support (a sentence without markers
 * is checked against every citation shown); say why each other one went.
 */
function supportedSentences(
  text: string,
  evidence: (numbers: number[]) => SupportEvidence,
  bridge: Bridge,
): { text: string; removed: number; notes: string[] } {
  const notes: string[] = [];
  let removed = 0;
  const kept = proseSentences(text).filter((sentence) => {
    if (!/[\p{L}\p{N}]/u.test(sentence.replace(/\[\d+\]/g, ""))) return true;
    const numbers = [...sentence.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const verdict = checkSentence(sentence, evidence(numbers), bridge);
    if (verdict.supported) return true;
    removed += 1;
    notes.push(`sentence removed from the answer, not supported by its quotes (${verdict.reason}): "${clip(sentence.trim())}"`);
    return false;
  });
  return { text: kept.join("").trim(), removed, notes };
}

/** An article's sentence attributions (pronouns resolved), as the build stored them, read once per verification. */
function attributionsOf(index: StoredCorpus): (articleId: string) => Map<string, Attribution> {
  const byArticle = new Map<string, Map<string, Attribution>>();
  return (articleId) => {
    let hit = byArticle.get(articleId);
    if (!hit) {
      hit = index.attributionsOf(articleId);
      byArticle.set(articleId, hit);
    }
    return hit;
  };
}

/** Who the article's text says spoke the located quote: the attributed sources of the sentences it overlaps. */
function speakersOf(loc: Located, attributions: Map<string, Attribution>): string[] {
  const out: string[] = [];
  for (const s of loc.passage.sentences) {
    if (s.end <= loc.start || s.start >= loc.end) continue;
    const who = attributions.get(s.id)?.source;
    if (who && !out.includes(who)) out.push(who);
  }
  return out;
}

function rank(order: number[], marker: number): number {
  const i = order.indexOf(marker);
  return i < 0 ? order.length : i;
}

function checkClaim(claim: LlmClaim, retrieved: Passage[], ctx: AnswerContext): Outcome {
  const label = `[${claim.marker}]`;
  const quote = claim.quote.trim();
  if (matchWords(quote).length < MIN_QUOTE_WORDS) {
    return { status: "dropped", note: `${label} quote "${clip(quote)}" is too short to support a claim (under ${MIN_QUOTE_WORDS} words): dropped` };
  }
  const cited = retrieved.find((p) => p.id === claim.passageId);
  const others = retrieved.filter((p) => p !== cited);
  const citedLabel = cited ? claim.passageId : `${claim.passageId} (not a retrieved passage)`;

  if (cited) {
    const loc = locateExact(cited, quote, ctx);
    if (loc) return { status: "kept", loc };
  }
  for (const other of others) {
    const loc = locateExact(other, quote, ctx);
    if (loc) return { status: "repaired", loc, note: `${label} quote is from ${other.id}, not ${citedLabel}: re-attributed` };
  }

  let best: { passage: Passage; near: NonNullable<ReturnType<typeof nearMatch>> } | undefined;
  for (const passage of cited ? [cited, ...others] : others) {
    const near = nearMatch(quote, passage.text, { minSimilarity: REPAIR_SIMILARITY });
    if (near && (!best || near.similarity > best.near.similarity)) best = { passage, near };
  }
  if (best) {
    const changed = [...best.near.missing, ...best.near.extra].filter(changesMeaning);
    const where = best.passage.id;
    if (changed.length > 0) {
      return { status: "dropped", note: `${label} quote differs from ${where} in a number or negation (${changed.join(", ")}): dropped` };
    }
    const loc = locateSpan(best.passage, best.near, ctx);
    if (loc) {
      const moved = best.passage !== cited ? ` and re-attributed (cited ${citedLabel})` : "";
      return {
        status: "repaired",
        loc,
        note: `${label} quote differed from ${where} (similarity ${best.near.similarity.toFixed(2)}): replaced by the exact text${moved}`,
      };
    }
  }
  return { status: "dropped", note: `${label} quote not found in ${cited ? claim.passageId : `any retrieved passage (cited ${citedLabel})`}: dropped` };
}

function locateExact(passage: Passage, quote: string, ctx: AnswerContext): Located | undefined {
  const hit = findVerbatim(quote, passage.text);
  return hit ? locateSpan(passage, hit, ctx) : undefined;
}

function locateSpan(passage: Passage, hit: { start: number; end: number }, ctx: AnswerContext): Located | undefined {
  const article = ctx.article(passage.articleId);
  if (!article) return undefined;
  const loc = { passage, article, start: passage.start + hit.start, end: passage.start + hit.end };
  // The invariant every citation carries; a passage whose offsets disagree with its article is not quoted from.
  return article.body.slice(loc.start, loc.end) === passage.text.slice(hit.start, hit.end) ? loc : undefined;
}

const PRONOUNS = new Set("he she they it we i you him her them his its their this that".split(" "));

/**
 * Who the citation names: the model's source only if the article's text mentions that name (as a whole
 * word, case as written, a leading "the" aside); otherwise the publisher; otherwise "the article".
 */
export function sourceFor(claimed: string, loc: { article: Article }): string {
  const name = claimed.replace(/\s+/g, " ").trim();
  const bare = name.replace(/^the\s+/i, "");
  if (bare.length >= 2 && name.length <= 80 && !PRONOUNS.has(bare.toLowerCase()) && mentions(loc.article.body, bare)) return name;
  return articleSource(loc.article);
}

function mentions(text: string, name: string): boolean {
  const norm = normalizeForMatch(name).norm;
  const escaped = norm.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").test(normalizeForMatch(text).norm);
}

function toCitation(n: number, loc: Located, source: string): Citation {
  return cite(n, source, loc.article, loc.passage.id, loc);
}
