import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { z } from "zod";
import type { Article, CorpusProblem } from "./article.js";
import { ArticleIds } from "./article-ids.js";
import { normaliseDate } from "./date.js";
import { decodeText } from "./decode.js";
import { splitHeader } from "./header.js";
import { errorText, scanCorpus } from "./scan.js";

const isoDate = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** YAML turns bare dates into Date objects; keep what the file says as an ISO string. */
const dateField = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? (v.toISOString().endsWith("T00:00:00.000Z") ? v.toISOString().slice(0, 10) : v.toISOString()) : v.trim()))
  .refine((v) => v === "" || isoDate.test(v), "published must be an ISO date such as 2025-11-29 or 2025-11-29T11:18:00+03:00");

const text = z
  .string()
  .trim()
  .transform((s) => s.normalize("NFC"))
  .default("");
const frontMatterSchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "id must be letters, digits, '.', '_' or '-' (at most 128)"),
    title: text,
    /** The importer made the title from the first sentence; the source gave none. */
    title_derived: z.boolean().default(false),
    publisher: text,
    url: z.union([z.literal(""), z.string().trim().url("url must be an absolute URL")]).default(""),
    published: dateField.default(""),
    author: text,
  })
  .strict();

export interface LoadedCorpus {
  articles: Article[];
  problems: CorpusProblem[];
}

/**
 * Read every `.md` and `.txt` file under `dir`. A bad file (malformed, binary, not UTF-8, empty,
 * oversized, unreadable) or an unreadable folder becomes a problem; the rest still load.
 */
export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const scan = scanCorpus(dir);
  const files = scan.files.map((f) => f.file);
  const articles: Article[] = [];
  const problems: CorpusProblem[] = [...scan.problems];
  const ids = new ArticleIds();
  for (const rel of files) {
    let raw: Buffer;
    try {
      raw = await readFile(path.join(dir, rel));
    } catch (err) {
      problems.push({ file: rel, problem: `unreadable: ${errorText(err)}` });
      continue;
    }
    const result = parseArticleFile(rel, raw);
    if ("problem" in result) {
      problems.push(result);
      continue;
    }
    if (ids.claim(rel, result.id)) articles.push(result);
  }
  problems.push(...ids.duplicates);
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { articles, problems };
}

/** Parse one file's bytes. `.md` needs front matter; `.txt` may open with header lines, else takes its first line as the title. */
export function parseArticleFile(file: string, raw: Buffer | string): Article | CorpusProblem {
  const bytes = typeof raw === "string" ? Buffer.from(raw) : raw;
  const hash = createHash("sha256").update(bytes).digest("hex");
  const decoded = decodeText(bytes);
  if ("problem" in decoded) return { file, problem: decoded.problem };
  const source = decoded.text.replace(/\r\n?/g, "\n");
  if (/\.txt$/i.test(file)) {
    // A leading `url:`/`title:`/`publisher:`/`published:`/`author:` header is metadata, never body text.
    const { fields, rest: text } = splitHeader(source);
    const lines = text.replace(/^\n+/, "").split("\n");
    const first = fields.title === undefined ? (lines.shift() ?? "") : fields.title;
    const body = normaliseBody(lines.join("\n"));
    if (!first.trim() || !body) return { file, problem: "empty body (a .txt file is a title line, then the text)" };
    const id = path.basename(file, path.extname(file));
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)) return { file, problem: `file name "${id}" is not a usable id` };
    const published = fields.published === undefined ? "" : normaliseDate(fields.published);
    if (fields.published && !published) return { file, problem: `published "${fields.published}" is not a complete, unambiguous date` };
    const one = (v: string | undefined) => (v ?? "").trim().normalize("NFC");
    return { id, title: one(first), publisher: one(fields.publisher), url: one(fields.url), published, author: one(fields.author), body, file, hash };
  }
  if (!source.startsWith("---\n")) return { file, problem: "missing front matter (the file must start with a --- block)" };
  let parsed: matter.GrayMatterFile<string>;
  try {
    // gray-matter caches by content; pass an options object to keep parses independent.
    parsed = matter(source, {});
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return { file, problem: `bad front matter: ${reason}` };
  }
  const fm = frontMatterSchema.safeParse(parsed.data);
  if (!fm.success) {
    const issue = fm.error.issues[0]!;
    const field = issue.path.join(".") || "front matter";
    return { file, problem: `bad front matter: ${field}: ${issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message}` };
  }
  const body = normaliseBody(parsed.content);
  if (!body) return { file, problem: "empty body" };
  const { title_derived: titleDerived, ...fields } = fm.data;
  return { ...fields, ...(titleDerived ? { titleDerived } : {}), body, file, hash };
}

/** NFC, trimmed, no trailing spaces: offsets are into this string, so every quote is sliced from it. */
function normaliseBody(text: string): string {
  return text
    .normalize("NFC")
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n")
    .trim();
}
