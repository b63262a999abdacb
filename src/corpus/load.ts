import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { z } from "zod";
import type { Article, CorpusProblem } from "./article.js";

const isoDate = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** YAML turns bare dates into Date objects; keep what the file says as an ISO string. */
const dateField = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? (v.toISOString().endsWith("T00:00:00.000Z") ? v.toISOString().slice(0, 10) : v.toISOString()) : v.trim()))
  .refine((v) => v === "" || isoDate.test(v), "published must be an ISO date such as 2025-11-29 or 2025-11-29T11:18:00+03:00");

const text = z.string().trim().default("");
const frontMatterSchema = z
  .object({
    id: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, "id must be letters, digits, '.', '_' or '-' (at most 128)"),
    title: text,
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

/** Read every `.md` and `.txt` file under `dir`. A bad file becomes a problem; the rest still load. */
export async function loadCorpus(dir: string): Promise<LoadedCorpus> {
  const files = await listArticleFiles(dir);
  const articles: Article[] = [];
  const problems: CorpusProblem[] = [];
  const byId = new Map<string, string>();
  for (const rel of files) {
    const raw = await readFile(path.join(dir, rel));
    const result = parseArticleFile(rel, raw);
    if ("problem" in result) {
      problems.push(result);
      continue;
    }
    const other = byId.get(result.id);
    if (other !== undefined) {
      problems.push({ file: rel, problem: `duplicate id "${result.id}" (already used by ${other})` });
      continue;
    }
    byId.set(result.id, rel);
    articles.push(result);
  }
  return { articles, problems };
}

/** Article files under `dir` (relative paths, sorted): `.md` and `.txt`, READMEs excluded. */
export async function listArticleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(md|txt)$/i.test(e.name) && !/^readme\.md$/i.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Parse one file's bytes. `.md` needs front matter; `.txt` takes its first line as the title. */
export function parseArticleFile(file: string, raw: Buffer | string): Article | CorpusProblem {
  const bytes = typeof raw === "string" ? Buffer.from(raw) : raw;
  const hash = createHash("sha256").update(bytes).digest("hex");
  const source = bytes.toString("utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (/\.txt$/i.test(file)) {
    const [first = "", ...rest] = source.split("\n");
    const body = normaliseBody(rest.join("\n"));
    if (!first.trim() || !body) return { file, problem: "empty body (a .txt file is a title line, then the text)" };
    const id = path.basename(file, path.extname(file));
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)) return { file, problem: `file name "${id}" is not a usable id` };
    return { id, title: first.trim(), publisher: "", url: "", published: "", author: "", body, file, hash };
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
  return { ...fm.data, body, file, hash };
}

/** Trim the body and drop trailing spaces; offsets are into this string. */
function normaliseBody(text: string): string {
  return text
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/, ""))
    .join("\n")
    .trim();
}
