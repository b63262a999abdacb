import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { loadCorpus } from "../corpus/load.js";
import { repairMojibake, wordsWithLostLetters } from "../corpus/mojibake.js";
import { titleFromBody } from "../corpus/title.js";
import type { ImportedArticle, ImportProblem } from "./source.js";

/** Most characters of an id made from a title: long enough to tell articles apart, short enough to read and type. */
export const SLUG_MAX_CHARS = 50;

/** Slug for an article id: lowercase ASCII words joined by dashes, at most `SLUG_MAX_CHARS`, cut between words. */
export function slugify(text: string): string {
  const full = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (full.length <= SLUG_MAX_CHARS) return full;
  const cut = full.slice(0, SLUG_MAX_CHARS + 1);
  const atWord = cut.lastIndexOf("-");
  // One word longer than the limit has no word boundary to cut at.
  if (atWord <= 0) return full.slice(0, SLUG_MAX_CHARS);
  const words = cut.slice(0, atWord).split("-");
  // "…-robot-to" reads as cut off; end on a word that carries meaning.
  while (words.length > 1 && SLUG_TAIL_WORDS.has(words[words.length - 1]!)) words.pop();
  return words.join("-");
}

/** Words an id does not end on when it is cut short. */
const SLUG_TAIL_WORDS = new Set([
  "a",
  "an",
  "the",
  "of",
  "to",
  "and",
  "or",
  "in",
  "on",
  "at",
  "for",
  "with",
  "by",
  "from",
  "after",
  "as",
  "its",
  "is",
  "are",
  "was",
  "be",
]);

/**
 * The id an article gets: the slug of its title, else of its file name or URL path. A title made
 * from the first sentence comes after the file name: the name someone chose says more.
 */
export function articleId(a: Pick<ImportedArticle, "title" | "source">, titleDerived = false): string {
  const base = /^https?:\/\//i.test(a.source)
    ? (new URL(a.source).pathname.split("/").filter(Boolean).pop() ?? new URL(a.source).hostname)
    : path.basename(a.source);
  const fromSource = slugify(base.replace(/\.[a-z]+$/i, ""));
  return (titleDerived ? fromSource || slugify(a.title) : slugify(a.title) || fromSource) || "article";
}

/** An article as it will be written: text repaired, a title derived when it has none, and what was done. */
export interface PreparedArticle {
  article: ImportedArticle;
  /** The title was made from the first sentence (the source gave none); the corpus file says so. */
  titleDerived: boolean;
  /** What the user should know about the text ("repaired mojibake: â€™ → ’"). */
  notes: string[];
}

/**
 * Last step before writing, for every kind of input: mojibake repaired (and said), words that lost
 * letters upstream reported but left as the source has them, and a title from the first sentence
 * when the source gave none. Pure.
 */
export function prepareArticle(a: ImportedArticle): PreparedArticle {
  const notes: string[] = [];
  const repairs = new Set<string>();
  const fix = (s: string) => {
    const r = repairMojibake(s);
    for (const x of r.repaired) repairs.add(x);
    return r.text;
  };
  const article = { ...a, title: fix(a.title), publisher: fix(a.publisher), author: fix(a.author), body: fix(a.body), notes: [...a.notes] };
  if (repairs.size > 0) notes.push(`repaired mojibake (UTF-8 read as Windows-1252): ${[...repairs].join(", ")}`);
  const lost = wordsWithLostLetters(`${article.title}\n${article.body}`);
  if (lost.length > 0) notes.push(`${lost.length} word(s) have "?" where letters belong, lost before import (left as they are): ${lost.join(", ")}`);
  let titleDerived = false;
  if (!article.title) {
    article.title = titleFromBody(article.body);
    titleDerived = article.title !== "";
    if (titleDerived) notes.push("no title given: took the first sentence");
  }
  article.notes.push(...notes);
  return { article, titleDerived, notes };
}

/** The corpus file of an article: front matter, then the body. */
export function toMarkdown(a: ImportedArticle, id: string, titleDerived = false): string {
  const derived = titleDerived ? { title_derived: true } : {};
  return matter.stringify(`${a.body}\n`, { id, title: a.title, ...derived, publisher: a.publisher, url: a.url, published: a.published, author: a.author });
}

/** One article written to the corpus. */
export interface Written {
  id: string;
  file: string;
  article: ImportedArticle;
  words: number;
  replaced: boolean;
  /** The title was made from the first sentence. */
  titleDerived: boolean;
  /** What was changed on the way in, for the user (from `prepareArticle`). */
  notes: string[];
}

/**
 * Write articles into the corpus folder as `<id>.md` (temp file, then rename). An id already in the
 * corpus, or given twice in one batch, is skipped unless `force` (then its `.md` file is replaced).
 */
export async function writeArticles(
  corpusDir: string,
  articles: ImportedArticle[],
  opts: { force: boolean; id?: string | undefined },
): Promise<{ written: Written[]; skipped: ImportProblem[] }> {
  await mkdir(corpusDir, { recursive: true });
  const existing = new Map((await loadCorpus(corpusDir)).articles.map((a) => [a.id, a.file]));
  const written: Written[] = [];
  const skipped: ImportProblem[] = [];
  const batch = new Set<string>();
  for (const input of articles) {
    const { article, titleDerived, notes } = prepareArticle(input);
    const id = opts.id ?? articleId(article, titleDerived);
    if (batch.has(id)) {
      skipped.push({ source: article.source, problem: `id "${id}" is already taken by another item of this import` });
      continue;
    }
    const held = existing.get(id);
    let file = held ?? `${id}.md`;
    const replaced = held !== undefined || existsSync(path.join(corpusDir, file));
    if (replaced && !opts.force) {
      skipped.push({ source: article.source, problem: `id "${id}" exists (${file}); use --force to replace it` });
      continue;
    }
    if (!file.endsWith(".md")) {
      skipped.push({ source: article.source, problem: `id "${id}" is held by ${file}, which is not Markdown; remove it first` });
      continue;
    }
    file = path.join(corpusDir, file);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, toMarkdown(article, id, titleDerived));
    await rename(tmp, file);
    batch.add(id);
    written.push({ id, file, article, words: article.body.split(/\s+/).filter(Boolean).length, replaced, titleDerived, notes });
  }
  return { written, skipped };
}
