import type { ArticleMeta } from "../corpus/article.js";
import { printable } from "../scrub.js";

/**
 * Search filters: which articles they let through, and, before a question is asked, whether they can
 * let any through at all. One validation for every surface that takes filters (the CLI's `ask` today),
 * so that a filter matching nothing is named instead of answered with a silent "no answer".
 */

/** `YYYY-MM-DD`, optionally with a time (`T10:00`, `T10:00:30.5`) and a zone (`Z`, `+03:00`). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * The date as given if it is a real ISO date, or the reason it is not. `Date.parse` takes
 * `2025-02-30` (it rolls over to March 2nd), so the day is checked against its month here.
 */
export function checkIsoDate(value: string): { ok: true; date: string } | { ok: false; reason: string } {
  const date = value.trim();
  const m = ISO_DATE.exec(date);
  if (!m) return { ok: false, reason: "expected an ISO date such as 2025-11-01 (YYYY-MM-DD)." };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return { ok: false, reason: `${date} has no month ${m[2]}; expected an ISO date such as 2025-11-01 (YYYY-MM-DD).` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { ok: false, reason: `${date} is not a date: ${MONTHS[month - 1]} ${year} has ${days} days.` };
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59 || Number(m[8] ?? 0) > 23 || Number(m[9] ?? 0) > 59)
    return { ok: false, reason: `${date} is not a time of day; expected an ISO date such as 2025-11-01 or 2025-11-01T10:00.` };
  return { ok: true, date };
}

const MONTHS = "January February March April May June July August September October November December".split(" ");

/** Whether an article passes the filters: any of the ids, any of the publishers (any case), published within from–to by day. */
export function articleMatches(article: Pick<ArticleMeta, "id" | "publisher" | "published">, filters: SearchFilters): boolean {
  if (filters.articleIds?.length && !filters.articleIds.includes(article.id)) return false;
  if (filters.publishers?.length && !filters.publishers.some((p) => p.toLowerCase() === article.publisher.toLowerCase())) return false;
  const { from, to } = filters;
  if (!from && !to) return true;
  const day = article.published.slice(0, 10);
  if (!day) return false;
  if (from && day < from.slice(0, 10)) return false;
  if (to && day > to.slice(0, 10)) return false;
  return true;
}

/** The filters minus empty lists and dates, so that `{}` and `{ publishers: [] }` both mean "no filter". */
export function activeFilters(filters: SearchFilters | undefined): SearchFilters | undefined {
  if (!filters) return undefined;
  const out: SearchFilters = {
    ...(filters.articleIds?.length ? { articleIds: filters.articleIds } : {}),
    ...(filters.publishers?.length ? { publishers: filters.publishers } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What checking filters against the index found. */
export interface FilterCheck {
  /** Why no article can pass, naming the filter (`no article from publisher “Bloomberg”`); absent when some can. */
  refused?: string;
  /** Values that match nothing while others of their filter do (`no article with id “x”`): worth saying, not fatal. */
  notes: string[];
}

/**
 * Whether any of `articles` can pass the filters, and if not, which filter rules them all out: each
 * filter is tried on its own first, so the message names the one that matches nothing; only when each
 * matches something on its own is the combination blamed.
 */
export function checkFilters(filters: SearchFilters, articles: ReadonlyArray<Pick<ArticleMeta, "id" | "publisher" | "published">>): FilterCheck {
  const notes: string[] = [];
  const { articleIds = [], publishers = [], from, to } = filters;
  const q = (s: string) => `“${printable(s)}”`;
  const or = (values: string[]) => values.map(q).join(" or ");

  if (from && to && from.slice(0, 10) > to.slice(0, 10)) return { refused: `the dates leave no day: from ${from} is after to ${to}`, notes };
  const missingIds = articleIds.filter((id) => !articles.some((a) => a.id === id));
  if (articleIds.length > 0 && missingIds.length === articleIds.length) return { refused: `no article with id ${or(missingIds)}`, notes };
  if (missingIds.length > 0) notes.push(`no article with id ${or(missingIds)}`);
  const missingPublishers = publishers.filter((p) => !articles.some((a) => articleMatches(a, { publishers: [p] })));
  if (publishers.length > 0 && missingPublishers.length === publishers.length) return { refused: `no article from publisher ${or(missingPublishers)}`, notes };
  if (missingPublishers.length > 0) notes.push(`no article from publisher ${or(missingPublishers)}`);
  if (from && !articles.some((a) => articleMatches(a, { from }))) return { refused: `no article published on or after ${from}`, notes };
  if (to && !articles.some((a) => articleMatches(a, { to }))) return { refused: `no article published on or before ${to}`, notes };
  if (from && to && !articles.some((a) => articleMatches(a, { from, to }))) return { refused: `no article published from ${from} to ${to}`, notes };

  if (!articles.some((a) => articleMatches(a, filters))) {
    const parts = [
      articleIds.length ? `id ${or(articleIds)}` : "",
      publishers.length ? `publisher ${or(publishers)}` : "",
      from ? `published on or after ${from}` : "",
      to ? `published on or before ${to}` : "",
    ].filter(Boolean);
    return { refused: `no article matches all the filters together (${parts.join("; ")})`, notes };
  }
  return { notes };
}

/** Narrow retrieval to some articles, publishers or a date range (ISO dates, inclusive). */
export interface SearchFilters {
  articleIds?: string[];
  publishers?: string[];
  from?: string;
  to?: string;
}
