import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import path from "node:path";

/** A file found by `walkTree`, as `stat` sees it through any links. */
export interface WalkedFile {
  /** Path relative to the root, as reached (through a link's name when it was reached through a link). */
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * Something the walk did not take, and why: facts, phrased by the caller. `unreadable-folder` and
 * `unreadable` carry the file-system error; the link kinds name the path (relative to the root) the
 * link leads to.
 */
export type WalkSkip =
  | { file: string; kind: "unreadable-folder" | "unreadable"; err: unknown }
  | { file: string; kind: "outside" }
  | { file: string; kind: "loop" | "duplicate"; target: string };

/**
 * Every wanted file under `root`, following links but never out of `root` and never twice.
 *
 * Real folders and files are walked first, links after, so that a file reached both directly and
 * through a link is taken under its real name. A link is resolved to its real path: one that leads
 * outside `root` is skipped, and so is one that leads to a folder or file already taken (a loop such
 * as `loop -> .`, or a second name for the same thing), each reported once. What has been taken is
 * known by device and inode, so hard links and bind mounts are seen through as well. A folder or file
 * that cannot be read is a skip, never an exception; only an unreadable root throws.
 * Synchronous on purpose: thousands of `stat` calls are faster in one loop than as thousands of promises.
 */
export function walkTree(root: string, wanted: (name: string) => boolean): { files: WalkedFile[]; skipped: WalkSkip[] } {
  const files: WalkedFile[] = [];
  const skipped: WalkSkip[] = [];
  const realRoot = realpathSync(root);
  const rootStat = statSync(realRoot);
  const seen = new Map<string, string>([[key(rootStat), ""]]);
  /** Links met on the way, handled once every real entry has been taken. */
  const links: Array<{ rel: string; name: string }> = [];

  const walkFolder = (rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === "") throw err; // No root folder at all is the caller's error, not one file's problem.
      skipped.push({ file: rel, kind: "unreadable-folder", err });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = rel ? path.join(rel, e.name) : e.name;
      if (e.isSymbolicLink()) links.push({ rel: child, name: e.name });
      else if (e.isDirectory()) enterFolder(child);
      else if (e.isFile() && wanted(e.name)) takeFile(child);
    }
  };

  const enterFolder = (rel: string, s?: Stats): void => {
    let st = s;
    if (!st) {
      try {
        st = lstatSync(path.join(root, rel));
      } catch (err) {
        skipped.push({ file: rel, kind: "unreadable-folder", err });
        return;
      }
    }
    const k = key(st);
    const first = seen.get(k);
    if (first !== undefined) {
      skipped.push({ file: rel, kind: isInside(first, rel) ? "loop" : "duplicate", target: first });
      return;
    }
    seen.set(k, rel);
    walkFolder(rel);
  };

  const takeFile = (rel: string, s?: Stats): void => {
    let st = s;
    try {
      st ??= statSync(path.join(root, rel));
    } catch (err) {
      skipped.push({ file: rel, kind: "unreadable", err });
      return;
    }
    const k = key(st);
    const first = seen.get(k);
    if (first !== undefined) {
      skipped.push({ file: rel, kind: "duplicate", target: first });
      return;
    }
    seen.set(k, rel);
    files.push({ file: rel, size: st.size, mtimeMs: st.mtimeMs });
  };

  walkFolder("");
  // Links found while following a link are appended here too, and handled in turn.
  for (let i = 0; i < links.length; i++) {
    const { rel, name } = links[i]!;
    let real: string;
    let st: Stats;
    try {
      real = realpathSync(path.join(root, rel));
      st = statSync(real);
    } catch (err) {
      // A broken link to what would be an article is reported, so it is not silently ignored.
      if (wanted(name)) skipped.push({ file: rel, kind: "unreadable", err });
      continue;
    }
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
      if (st.isDirectory() || wanted(name)) skipped.push({ file: rel, kind: "outside" });
      continue;
    }
    if (st.isDirectory()) enterFolder(rel, st);
    else if (st.isFile() && wanted(name)) takeFile(rel, st);
  }
  return { files, skipped };
}

function key(s: Stats): string {
  return `${s.dev}:${s.ino}`;
}

/** Whether `rel` lies inside `folder` (both relative to the root; "" is the root). */
function isInside(folder: string, rel: string): boolean {
  return folder === "" || rel === folder || rel.startsWith(folder + path.sep);
}
