import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import type { Article } from "../corpus/article.js";
import { decodeText } from "../corpus/decode.js";
import { skipText } from "../corpus/scan.js";
import { walkTree } from "../corpus/walk.js";
import { extractArticle, type ExtractJob } from "./extract.js";
import { download, fetchPage, type FetchLimits } from "./fetch.js";
import { DEFAULT_SHAPE_CAPS, type ShapeCaps } from "./shape.js";

export { articleFromText } from "./parse.js";

/** An article ready to be written to the corpus: `Article`'s fields (body NFC), where it came from, and notes. */
export type ImportedArticle = Pick<Article, "title" | "publisher" | "url" | "published" | "author" | "body"> & {
  /** The file or URL it came from. */
  source: string;
  /** What was done on the way that the user should know ("converted from windows-1252"). */
  notes: string[];
};

/** One input that could not be imported, and why. */
export interface ImportProblem {
  source: string;
  problem: string;
}

/** Values given on the command line (or in Discord) that hold for every item. */
export interface ImportOverrides {
  publisher?: string | undefined;
  /** Any date form `normaliseDate` reads. */
  published?: string | undefined;
  url?: string | undefined;
}

export interface ImportSettings {
  fetch: FetchLimits;
  /**
   * Parsing and extraction run in a worker thread, each item within `fetch.timeoutMs` of wall-clock
   * time once the worker runs; HTML over these caps is refused before it is parsed. Default `DEFAULT_SHAPE_CAPS`.
   */
  caps?: ShapeCaps | undefined;
}

/** File kinds the importer reads. */
const IMPORTABLE = /\.(txt|md|markdown|html?|xhtml)$/i;

/**
 * Files, folders (walked for `.txt`, `.md` and `.html` files), globs and http(s) URLs, in the order
 * given, without duplicates. A path that does not exist or cannot be read is a problem; the rest go on.
 */
export async function expandInputs(inputs: string[]): Promise<{ sources: string[]; problems: ImportProblem[] }> {
  const sources: string[] = [];
  const problems: ImportProblem[] = [];
  const add = (s: string) => {
    if (!sources.includes(s)) sources.push(s);
  };
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      add(input);
      continue;
    }
    if (isDynamicPattern(input)) {
      const matched = (await glob(input, { absolute: false, onlyFiles: true, dot: false })).sort();
      if (matched.length === 0) problems.push({ source: input, problem: "no file matches this pattern" });
      for (const m of matched) if (IMPORTABLE.test(m)) add(m);
      continue;
    }
    let s;
    try {
      s = await stat(input);
    } catch (err) {
      problems.push({ source: input, problem: fsProblem(err) });
      continue;
    }
    if (!s.isDirectory()) {
      add(input);
      continue;
    }
    // A folder follows the corpus walk's rule: links stay inside it and nothing is read twice.
    let walked: ReturnType<typeof walkTree>;
    try {
      walked = walkTree(input, (name) => IMPORTABLE.test(name) && !/^readme\.md$/i.test(name));
    } catch (err) {
      problems.push({ source: `${input}${path.sep}`, problem: `folder skipped: ${fsProblem(err)}` });
      continue;
    }
    const inside = (file: string) => path.join(input, file);
    for (const f of walked.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) add(inside(f.file));
    for (const s of walked.skipped) {
      if (s.kind === "unreadable-folder") problems.push({ source: `${inside(s.file)}${path.sep}`, problem: `folder skipped: ${fsProblem(s.err)}` });
      else if (s.kind === "unreadable") problems.push({ source: inside(s.file), problem: fsProblem(s.err) });
      else problems.push({ source: inside(s.file), problem: skipText(s, "the folder being imported") });
    }
  }
  return { sources, problems };
}

/**
 * Read one file or URL into an article. Never throws: whatever goes wrong with one input (a bad
 * download, a page too deep to parse, a parser that fails, a deadline) becomes its problem, so a
 * batch goes on with the next.
 */
export async function readSource(source: string, overrides: ImportOverrides, settings: ImportSettings): Promise<ImportedArticle | ImportProblem> {
  try {
    return await readOne(source, overrides, settings);
  } catch (err) {
    return { source, problem: `could not be read (${(err as Error).message})` };
  }
}

async function readOne(source: string, overrides: ImportOverrides, settings: ImportSettings): Promise<ImportedArticle | ImportProblem> {
  if (/^https?:\/\//i.test(source)) {
    const page = await fetchPage(source, settings.fetch);
    if ("problem" in page) return { source, problem: page.problem };
    const article = await extract({ source, text: page.text, kind: page.kind, overrides, fetchedUrl: page.url }, settings);
    if (!("problem" in article) && page.note) article.notes.push(page.note);
    return article;
  }
  if (!IMPORTABLE.test(source)) return { source, problem: "not a .txt, .md or .html file" };
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch (err) {
    return { source, problem: fsProblem(err) };
  }
  const decoded = decodeText(bytes, { convert: true, maxBytes: settings.fetch.maxBytes });
  if ("problem" in decoded) return { source, problem: decoded.problem };
  const kind = /\.x?html?$/i.test(source) ? "html" : "text";
  const article = await extract({ source, text: decoded.text, kind, overrides, fetchedUrl: "" }, settings);
  if ("problem" in article) return article;
  if (decoded.converted) article.notes.push(`converted from ${decoded.encoding}`);
  return article;
}

/** `articleFromText` in the import worker, within the item's deadline and the HTML caps. */
function extract(job: ExtractJob, settings: ImportSettings): Promise<ImportedArticle | ImportProblem> {
  return extractArticle(job, { timeoutMs: settings.fetch.timeoutMs, caps: settings.caps ?? DEFAULT_SHAPE_CAPS });
}

/** File kinds a Discord attachment may be. */
export const ATTACHMENT_TYPES = /\.(txt|md|html?)$/i;

/**
 * A file uploaded somewhere else (a Discord attachment): its name says what it is, its URL where the
 * bytes are. The bytes get the same hygiene as a file on disk.
 */
export async function readUpload(name: string, url: string, overrides: ImportOverrides, settings: ImportSettings): Promise<ImportedArticle | ImportProblem> {
  try {
    if (!ATTACHMENT_TYPES.test(name)) return { source: name, problem: "only .txt, .md and .html files can be added" };
    const got = await download(url, settings.fetch);
    if ("problem" in got) return { source: name, problem: got.problem };
    const decoded = decodeText(got.bytes, { convert: true, maxBytes: settings.fetch.maxBytes });
    if ("problem" in decoded) return { source: name, problem: decoded.problem };
    const article = await extract({ source: name, text: decoded.text, kind: /\.html?$/i.test(name) ? "html" : "text", overrides, fetchedUrl: "" }, settings);
    if (!("problem" in article) && decoded.converted) article.notes.push(`converted from ${decoded.encoding}`);
    return article;
  } catch (err) {
    return { source: name, problem: `could not be read (${(err as Error).message})` };
  }
}

function fsProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "no such file or folder";
  if (e.code === "EACCES" || e.code === "EPERM") return "permission denied";
  if (e.code === "EISDIR") return "is a folder";
  return e.code ?? e.message;
}
