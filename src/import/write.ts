import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { loadCorpus } from "../corpus/load.js";
import type { ImportedArticle, ImportProblem } from "./source.js";

/** Slug for an article id: lowercase ASCII words joined by dashes, at most 80 characters. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

/** The id an article gets: the slug of its title, else of its file name or URL path. */
export function articleId(a: Pick<ImportedArticle, "title" | "source">): string {
  const base = /^https?:\/\//i.test(a.source) ? new URL(a.source).pathname.split("/").filter(Boolean).pop() ?? new URL(a.source).hostname : path.basename(a.source);
  return slugify(a.title) || slugify(base.replace(/\.[a-z]+$/i, "")) || "article";
}

/** The corpus file of an article: front matter, then the body. */
export function toMarkdown(a: ImportedArticle, id: string): string {
  return matter.stringify(`${a.body}\n`, { id, title: a.title, publisher: a.publisher, url: a.url, published: a.published, author: a.author });
}

/** One article written to the corpus. */
export interface Written {
  id: string;
  file: string;
  article: ImportedArticle;
  words: number;
  replaced: boolean;
}

/**
 * Write articles into the corpus folder as `<id>.md` (temp file, then rename). An id already in the
 * corpus, or given twice in one batch, is skipped unless `force` (then its `.md` file is replaced).
 */
export async function writeArticles(corpusDir: string, articles: ImportedArticle[], opts: { force: boolean; id?: string | undefined }): Promise<{ written: Written[]; skipped: ImportProblem[] }> {
  await mkdir(corpusDir, { recursive: true });
  const existing = new Map((await loadCorpus(corpusDir)).articles.map((a) => [a.id, a.file]));
  const written: Written[] = [];
  const skipped: ImportProblem[] = [];
  const batch = new Set<string>();
  for (const article of articles) {
    const id = opts.id ?? articleId(article);
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
    await writeFile(tmp, toMarkdown(article, id));
    await rename(tmp, file);
    batch.add(id);
    written.push({ id, file, article, words: article.body.split(/\s+/).filter(Boolean).length, replaced });
  }
  return { written, skipped };
}
