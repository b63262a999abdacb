import type { CorpusProblem } from "./article.js";
import { walkTree, type WalkSkip } from "./walk.js";

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
 * still indexes. Links are followed only inside the corpus folder and never twice (see `walkTree`):
 * `up -> ..` would index a sibling folder, and `loop -> .` every file once per level.
 */
export function scanCorpus(dir: string): { files: CorpusFileStat[]; problems: CorpusProblem[] } {
  const { files, skipped } = walkTree(dir, isArticleName);
  const problems = skipped.map(
    (s): CorpusProblem => ({ file: s.kind === "unreadable-folder" ? `${s.file}/` : s.file, problem: skipText(s, "the corpus folder") }),
  );
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  files.sort(byFile);
  problems.sort(byFile);
  return { files, problems };
}

/** Why the walk skipped something, as a person reads it; `root` names the folder walked ("the corpus folder"). */
export function skipText(s: WalkSkip, root: string): string {
  switch (s.kind) {
    case "unreadable-folder":
      return `unreadable folder: ${errorText(s.err)}`;
    case "unreadable":
      return `unreadable: ${errorText(s.err)}`;
    case "outside":
      return `a link that leads outside ${root}: skipped`;
    case "loop":
      return `a link loop (back to ${s.target ? `${s.target}/` : root}): skipped, so nothing is read twice`;
    case "duplicate":
      return `a second name for ${s.target}, which is already read: skipped`;
  }
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
