import { dailyCounts, gapQuestions, type DayCount, type GapQuestion } from "../state/gaps.js";
import type { StateDb } from "../state/db.js";
import type { ReportsState } from "../state/store.js";
import { clusterByVector, cosine, topTerms } from "./cluster.js";
import type { AnswerService } from "../service/answer-service.js";
import { articleLabel } from "../answer/format.js";

/** A group of similar questions the corpus failed, with what it does have nearby. */
export interface GapGroup {
  /** The group's top terms. */
  label: string[];
  count: number;
  declined: number;
  downvoted: number;
  /** The question closest to the group's centre. */
  example: string;
  /** The passages the corpus has that come closest to the example. */
  closest: Array<{ passageId: string; title: string; score: number }>;
}

export interface GapsReport {
  since: string;
  until: string;
  days: DayCount[];
  totals: { questions: number; answered: number; declined: number; downvoted: number };
  groups: GapGroup[];
}

/** Options of `buildGapsReport`, each with its default. */
export interface GapsOptions {
  /** Days back from `now`. Default 30. */
  days?: number;
  /** One server's questions; every server when undefined. */
  guildId?: string | undefined;
  /** End of the period. Default now. */
  now?: Date;
  /** Most groups reported (the largest). Default 10. */
  maxGroups?: number;
  /** Closest passages shown per group. Default 2. */
  passages?: number;
  /** Cosine similarity for two questions to share a group (see `clusterByVector`). Default 0.7. */
  threshold?: number;
}

/**
 * What the corpus could not answer over a period: declined and 👎 questions grouped by meaning (the
 * index's own embedder), each group labelled with its top terms, with the corpus's closest passages,
 * and the questions-per-day counts for the chart. No user is ever named: the store keeps none.
 */
export async function buildGapsReport(
  deps: ({ db: StateDb } | { reports: ReportsState }) & { core: AnswerService },
  opts: GapsOptions = {},
): Promise<GapsReport> {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 30;
  // Whole UTC days: today and the `days - 1` before it.
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const since = new Date(until.getTime() - days * 86_400_000);
  const period = { since: since.toISOString(), until: until.toISOString(), guildId: opts.guildId };
  const counts = "reports" in deps ? await deps.reports.dailyCounts(period) : dailyCounts(deps.db, period);
  const gaps = "reports" in deps ? await deps.reports.gapQuestions(period) : gapQuestions(deps.db, period);
  const vectors = await Promise.all(gaps.map((g) => deps.core.embedQuery(g.question)));
  const clusters = clusterByVector(
    gaps.map((g, i) => ({ item: { gap: g, vector: vectors[i]! }, text: g.question, vector: vectors[i]! })),
    opts.threshold === undefined ? {} : { threshold: opts.threshold },
  );
  const all = gaps.map((g) => g.question);
  const groups: GapGroup[] = [];
  for (const c of clusters.slice(0, opts.maxGroups ?? 10)) {
    const members: GapQuestion[] = c.items.map((m) => m.gap);
    const central = c.items.reduce((best, m) => (cosine(m.vector, c.centroid) > cosine(best.vector, c.centroid) ? m : best), c.items[0]!);
    const closest = await deps.core.search(central.gap.question, { k: opts.passages ?? 2 });
    groups.push({
      label: topTerms(
        members.map((m) => m.question),
        all,
      ),
      count: members.length,
      declined: members.filter((m) => m.reason === "declined").length,
      downvoted: members.filter((m) => m.reason === "downvoted").length,
      example: central.gap.question,
      closest: closest.map((p) => ({ passageId: p.passage.id, title: articleLabel(p.article.title, p.article.id), score: Math.round(p.score * 1000) / 1000 })),
    });
  }
  const sum = (k: keyof Omit<DayCount, "day">) => counts.reduce((n, d) => n + d[k], 0);
  const answered = sum("answered");
  const declined = sum("declined");
  const downvoted = sum("downvoted");
  return {
    since: period.since,
    until: period.until,
    days: counts,
    totals: { questions: answered + declined + downvoted, answered, declined, downvoted },
    groups,
  };
}

/** The report as text: Markdown for Discord (escaped by `escape`), or plain for a terminal. */
export function formatGapsReport(r: GapsReport, opts: { markdown: boolean; escape?: (s: string) => string; maxChars?: number }): string {
  const esc = opts.escape ?? ((s: string) => s);
  const b = (s: string) => (opts.markdown ? `**${s}**` : s);
  const code = (s: string) => (opts.markdown ? `\`${s}\`` : s);
  const n = r.days.length;
  const lines = [
    `${b(`Coverage gaps, last ${n} day${n === 1 ? "" : "s"}`)} (${r.since.slice(0, 10)} to ${r.days.at(-1)?.day ?? r.since.slice(0, 10)}): ${r.totals.questions} questions, ${r.totals.answered} answered, ${r.totals.declined} declined, ${r.totals.downvoted} with 👎.`,
  ];
  if (r.groups.length === 0) lines.push("Nothing declined or voted down in this period.");
  const max = opts.maxChars ?? Infinity;
  let shown = 0;
  for (const [i, g] of r.groups.entries()) {
    const block = [
      `${b(`${i + 1}. ${g.label.join(" · ") || "(no common terms)"}`)}: ${g.count} question${g.count === 1 ? "" : "s"} (${g.declined} declined, ${g.downvoted} 👎)`,
      `   e.g. “${esc(g.example)}”`,
      `   closest passages: ${g.closest.length ? g.closest.map((p) => `${code(p.passageId)} ${esc(p.title)}`).join("; ") : "none"}`,
    ].join("\n");
    if ([...lines, block].join("\n").length + 60 > max) break;
    lines.push(block);
    shown++;
  }
  if (shown < r.groups.length) lines.push(`…and ${r.groups.length - shown} more group(s); \`npm run gaps\` lists them all.`);
  return lines.join("\n");
}
