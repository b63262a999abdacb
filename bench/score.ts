import type { Answer, Citation } from "../src/answer/answer.js";
import type { Article } from "../src/corpus/article.js";
import type { ScoredPassage } from "../src/retrieval/hybrid.js";

/** A question of the set in `test/fixtures/questions.json`. */
export interface EvalQuestion {
  id: string;
  kind: "direct" | "paraphrase" | "multi" | "unanswerable";
  question: string;
  passageIds: string[];
  facts: string[];
  /** Acceptable sources of the citation that holds a fact; "*" accepts any. */
  sources: string[];
  /** Multi-article questions only: every article of `passageIds` must have a cited fact. Default false. */
  needAll?: boolean;
}

export interface VariantScore {
  variant: string;
  hitAt1: number;
  hitAt3: number;
  mrr: number;
  answerAccuracy: number;
  sourceAccuracy: number;
  abstentionPrecision: number;
  abstentionRecall: number;
  verbatimShare: number;
  questions: number;
}

/** Rank (1-based) of the first retrieved passage that holds the answer, or undefined. */
export function answerRank(q: EvalQuestion, results: ScoredPassage[]): number | undefined {
  const i = results.findIndex((r) => q.passageIds.includes(r.passage.id));
  return i < 0 ? undefined : i + 1;
}

/** A citation quotes one of the expected facts. */
const quotesFact = (q: EvalQuestion, c: Citation): boolean => q.facts.some((f) => c.quote.includes(f));

/** The citation's source is one the question accepts. */
const acceptedSource = (q: EvalQuestion, c: Citation): boolean => q.sources.includes("*") || q.sources.includes(c.source);

/**
 * Whether the answer's citations satisfy `ok`: one citation suffices, or, for `needAll` questions,
 * one from every article the expected passages belong to.
 */
function covered(q: EvalQuestion, a: Answer, ok: (c: Citation) => boolean): boolean {
  if (!a.answered) return false;
  if (!q.needAll) return a.citations.some(ok);
  const articles = new Set(q.passageIds.map((id) => id.split("#")[0]!));
  return [...articles].every((id) => a.citations.some((c) => c.articleId === id && ok(c)));
}

/** An expected fact is inside one of the quotes (inside one per article when `needAll`). */
export function hasFact(q: EvalQuestion, a: Answer): boolean {
  return covered(q, a, (c) => quotesFact(q, c));
}

/** A quote holding an expected fact is attributed to an acceptable source. */
export function hasFactWithSource(q: EvalQuestion, a: Answer): boolean {
  return covered(q, a, (c) => quotesFact(q, c) && acceptedSource(q, c));
}

/** Every quote equals the article body at its offsets. */
export function verbatimCounts(answers: Answer[], articles: Map<string, Article>): { verbatim: number; total: number } {
  let verbatim = 0;
  let total = 0;
  for (const a of answers) {
    for (const c of a.citations) {
      total += 1;
      if (articles.get(c.articleId)?.body.slice(c.start, c.end) === c.quote) verbatim += 1;
    }
  }
  return { verbatim, total };
}

/** All figures for one retrieval variant. */
export function scoreVariant(variant: string, questions: EvalQuestion[], results: Results, articles: Map<string, Article>): VariantScore {
  const answerable = questions.filter((q) => q.kind !== "unanswerable");
  const unanswerable = questions.filter((q) => q.kind === "unanswerable");
  const ranks = answerable.map((q) => answerRank(q, results.get(q.id)!.ranked));
  const share = (n: number, d: number) => (d === 0 ? 0 : round(n / d));
  const abstained = questions.filter((q) => !results.get(q.id)!.answer.answered);
  const abstainedRight = abstained.filter((q) => q.kind === "unanswerable").length;
  const { verbatim, total } = verbatimCounts(
    [...results.values()].map((r) => r.answer),
    articles,
  );
  return {
    variant,
    hitAt1: share(ranks.filter((r) => r === 1).length, answerable.length),
    hitAt3: share(ranks.filter((r) => r !== undefined && r <= 3).length, answerable.length),
    mrr: share(
      ranks.reduce<number>((s, r) => s + (r ? 1 / r : 0), 0),
      answerable.length,
    ),
    answerAccuracy: share(answerable.filter((q) => hasFact(q, results.get(q.id)!.answer)).length, answerable.length),
    sourceAccuracy: share(answerable.filter((q) => hasFactWithSource(q, results.get(q.id)!.answer)).length, answerable.length),
    abstentionPrecision: share(abstainedRight, abstained.length),
    abstentionRecall: share(abstainedRight, unanswerable.length),
    verbatimShare: share(verbatim, total),
    questions: questions.length,
  };
}

type Results = Map<string, { ranked: ScoredPassage[]; answer: Answer }>;

/** Answer accuracy (fact with an acceptable source) per kind of answerable question, and abstention on the rest. */
export function byKind(questions: EvalQuestion[], results: Results): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of ["direct", "paraphrase", "multi"] as const) {
    const qs = questions.filter((q) => q.kind === kind);
    out[kind] = qs.length === 0 ? 0 : round(qs.filter((q) => hasFactWithSource(q, results.get(q.id)!.answer)).length / qs.length);
  }
  const un = questions.filter((q) => q.kind === "unanswerable");
  out["unanswerable (abstained)"] = un.length === 0 ? 0 : round(un.filter((q) => !results.get(q.id)!.answer.answered).length / un.length);
  return out;
}

/** Questions scored wrong, and why: no answer, no expected fact quoted, wrong source, or answered when it should abstain. */
export function failures(questions: EvalQuestion[], results: Results): Array<{ id: string; question: string; why: string }> {
  const out: Array<{ id: string; question: string; why: string }> = [];
  for (const q of questions) {
    const a = results.get(q.id)!.answer;
    const why =
      q.kind === "unanswerable"
        ? a.answered
          ? "answered"
          : undefined
        : !a.answered
          ? "abstained"
          : !hasFact(q, a)
            ? "fact not quoted"
            : !hasFactWithSource(q, a)
              ? "wrong source"
              : undefined;
    if (why) out.push({ id: q.id, question: q.question, why });
  }
  return out;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A fixed-width text table. */
export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join("  ");
  return [line(cols), line(width.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join("\n");
}
