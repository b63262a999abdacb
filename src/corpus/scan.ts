import { readdirSync, statSync, type Dirent } from "node:fs";
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
      if (rel === "") throw err;
      problems.push({ file: `${rel}/`, problem: `folder unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    for (const e of entries) {
      const child = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && /\.(md|txt)$/i.test(e.name) && !/^readme\.md$/i.test(e.name)) {
        try {
          const s = statSync(path.join(dir, child));
          files.push({ file: child, size: s.size, mtimeMs: s.mtimeMs });
        } catch (err) {
          problems.push({ file: child, problem: `unreadable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        }
      }
    }
  };
  walk("");
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems };
}
