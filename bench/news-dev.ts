import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Answer } from "../src/answer/answer.js";
import { loadConfig } from "../src/config.js";
import { expandInputs, readSource } from "../src/import/source.js";
import { writeArticles } from "../src/import/write.js";

/**
 * `../shared/news-dev`: about 100 real news pages retold, in four beat groups (a–d), with questions
 * written by people who saw only the articles, and a speaker label for every direct quote. The texts
 * are not the project's: they are read from that folder at run time and never copied into the
 * repository. Its README gives the format; this module reads it, imports the pages with the project's
 * own importer (as a user would), and scores answers the way the README defines.
 */

/** Where the set lives, beside the repository. */
export const NEWS_DEV_DIR = path.resolve(import.meta.dirname, "../../shared/news-dev");

/** A question of the set, answerable or not, with its group. */
export interface NewsQuestion {
  group: string;
  /** The page's slug (its file name less `.txt`). */
  article: string;
  q: string;
  answerable: boolean;
  /** Every inner list needs one of its alternatives in the answer text or its quotes. Empty when unanswerable. */
  expect: string[][];
  kind: string[];
  /** A who-said question: some citation's source should name this person. */
  by?: string;
}

/** A direct quotation of a page and who said it, as the page gives it ("unknown" when no one is named). */
export interface NewsQuote {
  group: string;
  article: string;
  quote: string;
  speaker: string;
}

export interface NewsDev {
  dir: string;
  groups: string[];
  questions: NewsQuestion[];
  quotes: NewsQuote[];
  /** The raw page files, by slug. */
  pages: Map<string, string>;
}

/** The set, or a message saying why it cannot be read (the folder is absent). */
export function loadNewsDev(dir = NEWS_DEV_DIR): NewsDev | { missing: string } {
  if (!existsSync(dir))
    return { missing: `news-dev: ${dir} is not there; this tool reads the shared development set from ../shared/news-dev beside the repository` };
  const groups = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "questions.json")))
    .map((d) => d.name)
    .sort();
  const questions: NewsQuestion[] = [];
  const quotes: NewsQuote[] = [];
  const pages = new Map<string, string>();
  for (const group of groups) {
    const raw = JSON.parse(readFileSync(path.join(dir, group, "questions.json"), "utf8")) as {
      answerable: Array<{ article: string; q: string; expect: string[][]; kind?: string[]; by?: string }>;
      unanswerable: Array<{ article: string; q: string }>;
      quotes: Array<{ article: string; quote: string; speaker: string }>;
    };
    for (const a of raw.answerable)
      questions.push({ group, article: a.article, q: a.q, answerable: true, expect: a.expect, kind: a.kind ?? [], ...(a.by ? { by: a.by } : {}) });
    for (const u of raw.unanswerable) questions.push({ group, article: u.article, q: u.q, answerable: false, expect: [], kind: [] });
    for (const q of raw.quotes) quotes.push({ group, ...q });
    const rawDir = path.join(dir, group, "raw");
    for (const f of readdirSync(rawDir)
      .filter((f) => f.endsWith(".txt"))
      .sort())
      pages.set(f.replace(/\.txt$/, ""), path.join(rawDir, f));
  }
  return { dir, groups, questions, quotes, pages };
}

/**
 * Import every page with the project's own importer into `corpusDir`, as `npm run import <files>`
 * would. Returns each page's article id by slug (the importer names articles after their titles).
 */
export async function importNewsDev(set: NewsDev, corpusDir: string): Promise<Map<string, string>> {
  const { sources } = await expandInputs([...set.pages.values()]);
  const bySource = new Map([...set.pages].map(([slug, file]) => [path.resolve(file), slug]));
  const config = loadConfig({});
  const settings = { fetch: { timeoutMs: config.IMPORT_TIMEOUT_MS, maxBytes: config.IMPORT_MAX_BYTES, maxRedirects: config.IMPORT_MAX_REDIRECTS } };
  const read = [];
  for (const source of sources) {
    const r = await readSource(source, {}, settings);
    if ("problem" in r) throw new Error(`news-dev: ${source} could not be imported: ${r.problem}`);
    read.push(r);
  }
  const { written, skipped } = await writeArticles(corpusDir, read, { force: true });
  if (skipped.length > 0) throw new Error(`news-dev: ${skipped.map((s) => `${s.source}: ${s.problem}`).join("; ")}`);
  const ids = new Map<string, string>();
  for (const w of written) {
    const slug = bySource.get(path.resolve(w.article.source));
    if (slug) ids.set(slug, w.id);
  }
  return ids;
}

/** Lower case, one kind of quotation mark, apostrophe and dash, single spaces: how the README compares. */
export function normaliseForMatch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‘’‚‛′`´]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—―−]/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether every inner list has one alternative in the text. */
export function meetsExpect(expect: string[][], text: string): boolean {
  const t = normaliseForMatch(text);
  return expect.every((alts) => alts.some((alt) => t.includes(normaliseForMatch(alt))));
}

/** How one answer scores against its question, as the set's README defines it. */
export interface NewsScore {
  answered: boolean;
  /** Answerable, answered, and every expected part in the answer text or its quotes. */
  right: boolean;
  /** …in the first citation alone (its source and quote). */
  first: boolean;
  /** A who-said question whose answer credits a citation to that person. Undefined for other questions. */
  speaker?: boolean;
}

export function scoreNewsAnswer(q: NewsQuestion, a: Pick<Answer, "answered" | "answer" | "citations">): NewsScore {
  if (!a.answered) return { answered: false, right: false, first: false, ...(q.by ? { speaker: false } : {}) };
  const whole = [a.answer, ...a.citations.map((c) => `${c.source}: ${c.quote}`)].join("\n");
  const right = q.answerable && meetsExpect(q.expect, whole);
  const c0 = a.citations[0];
  const first = q.answerable && c0 !== undefined && meetsExpect(q.expect, `${c0.source}: ${c0.quote}`);
  const speaker = q.by ? a.citations.some((c) => normaliseForMatch(c.source).includes(normaliseForMatch(q.by!))) : undefined;
  return { answered: true, right, first, ...(speaker !== undefined ? { speaker } : {}) };
}

/** Reliability of a confidence: answers in bins of confidence, how many were right, and the expected calibration error. */
export interface Reliability {
  bins: Array<{ from: number; to: number; n: number; meanConfidence: number; accuracy: number }>;
  /** Σ n_b/N · |accuracy_b − confidence_b| over the bins. */
  ece: number;
}

/** Bins of confidence for the reliability table. */
export const RELIABILITY_BINS = 10;

/**
 * Calibration of shown answers: an answer is right when the question is answerable and the answer
 * holds its fact (an answer to an unanswerable question is wrong).
 */
export function reliability(items: Array<{ confidence: number; right: boolean }>, bins = RELIABILITY_BINS): Reliability {
  const out: Reliability["bins"] = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, n: 0, meanConfidence: 0, accuracy: 0 }));
  for (const it of items) {
    const b = out[Math.min(bins - 1, Math.max(0, Math.floor(it.confidence * bins)))]!;
    b.n++;
    b.meanConfidence += it.confidence;
    b.accuracy += it.right ? 1 : 0;
  }
  let ece = 0;
  for (const b of out) {
    if (b.n === 0) continue;
    b.meanConfidence /= b.n;
    b.accuracy /= b.n;
    ece += (b.n / items.length) * Math.abs(b.accuracy - b.meanConfidence);
  }
  return { bins: out, ece: items.length ? ece : 0 };
}
