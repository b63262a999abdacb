import { readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import path from "node:path";
import type { CorpusProblem } from "./article.js";

/** A corpus file as `stat` sees it: enough to tell whether it changed since the last build. */
export interface CorpusFileStat {
  /** Path relative to the corpus folder. */
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * Every article file under `dir` (`.md` and `.txt`, READMEs excluded), sorted, with size and mtime.
 * A folder or file that cannot be read is a problem, never an exception: the rest of the corpus
 * still indexes. Synchronous on purpose: thousands of `stat` calls are faster in one loop than as
 * thousands of promises.
 */
export function scanCorpus(dir: string): { files: CorpusFileStat[]; problems: CorpusProblem[] } {
  const files: CorpusFileStat[] = [];
  const problems: CorpusProblem[] = [];
  const walk = (rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === "") throw err; // No corpus folder at all is the caller's error, not one file's problem.
      problems.push({ file: `${rel}/`, problem: `unreadable folder: ${errorText(err)}` });
      return;
    }
    for (const e of entries) {
      const child = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) {
        walk(child);
        continue;
      }
      // Links are followed, so that a link to a missing file is reported rather than silently ignored.
      if (!e.isFile() && !e.isSymbolicLink()) continue;
      let s: Stats;
      try {
        s = statSync(path.join(dir, child));
      } catch (err) {
        if (isArticleName(e.name)) problems.push({ file: child, problem: `unreadable: ${errorText(err)}` });
        continue;
      }
      if (s.isDirectory()) walk(child);
      else if (s.isFile() && isArticleName(e.name)) files.push({ file: child, size: s.size, mtimeMs: s.mtimeMs });
    }
  };
  walk("");
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems };
}

function isArticleName(name: string): boolean {
  return /\.(md|txt)$/i.test(name) && !/^readme\.md$/i.test(name);
}

/** A file-system error as a person reads it. */
export function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "EACCES" || e.code === "EPERM") return "permission denied";
  if (e.code === "ENOENT") return "it does not exist (a broken link?)";
  return e.code ?? e.message;
}
