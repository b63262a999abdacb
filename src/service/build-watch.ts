import { statSync, watch, type FSWatcher } from "node:fs";
import type { Config } from "../config.js";
import { gloveCachePath } from "../embeddings/glove-cache.js";

/** How often the pointer is looked at when no file-system event came (a watch can miss events, e.g. on network file systems). */
export const POINTER_POLL_MS = 500;

/**
 * Call `onChange` soon after the index's CURRENT pointer (in `indexDir`) may have changed: on a
 * file-system event for it (the pointer is replaced by a rename, so the folder is watched, not the
 * file), and every `pollMs` as a fallback. The process stays free to exit: neither keeps it alive.
 * Returns the function that stops watching.
 */
export function watchBuildPointer(indexDir: string, onChange: () => void, pollMs = POINTER_POLL_MS): () => void {
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(indexDir, { persistent: false }, (_event, file) => {
      if (file === null || String(file).startsWith("CURRENT")) onChange();
    });
    // A watch that fails later (the folder removed) leaves the poll to do the work.
    watcher.on("error", () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  const timer = setInterval(onChange, pollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    watcher?.close();
  };
}

/**
 * What the word-vector cache looks like on disk (size and time of its file), or "" for providers
 * without one. A build in another process may grow the cache; while this stays the same, the
 * embedder already open serves the new build too, and reopening it (a third of a second) is skipped.
 */
export function embedderStamp(config: Pick<Config, "EMBEDDINGS_PROVIDER" | "cacheDir">): string {
  if (config.EMBEDDINGS_PROVIDER !== "glove") return "";
  try {
    const s = statSync(gloveCachePath(config.cacheDir));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return "missing";
  }
}
