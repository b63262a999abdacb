import { rmSync } from "node:fs";
import path from "node:path";
import { GRAPH_FILES, fileStat, sha256File, type FileStat, type HnswSettings } from "./hnsw-store.js";
import { deadCount, type Previous, type Target } from "./_build-target.js";

/** Rebuild the main graph from its live points, and vacuum the posting lists, once deleted passages exceed this share. */
export const COMPACT_AT = 0.25;

/** A graph file written by the graph thread: its checksum and stat, for the manifest. */
export interface ThreadGraph {
  file: string;
  checksum: string;
  stat: FileStat;
}

/** The graph files of a build, as the manifest records them, and whether the main graph was written anew. */
export interface SavedGraphs {
  files: Record<string, string>;
  fileStats: Record<string, FileStat>;
  mainDirty: boolean;
}

/** The main graph of a large build from scratch, built in the graph thread, written to the build folder (the thread ends). */
export async function writeThreadGraph(t: Target): Promise<ThreadGraph | undefined> {
  let graphWritten: ThreadGraph | undefined;
  try {
    if (t.writer) {
      const file = path.join(t.dir, GRAPH_FILES.main);
      await t.writer.write(file);
      graphWritten = { file, checksum: sha256File(file), stat: fileStat(file) };
    }
  } finally {
    await t.writer?.close();
  }
  return graphWritten;
}

/** Merge a grown delta into the main graph; rebuild the main graph once it is mostly holes. Returns whether the main graph changed. */
export async function mergeGraphs(t: Target, prev: Previous, settings: HnswSettings): Promise<boolean> {
  const { db, store, dir } = t;
  const mainChecksum = prev.manifest.files[GRAPH_FILES.main];
  const deadMain = deadCount(db, "main");
  if (!(store.slots("delta") > settings.deltaMax || deadMain > COMPACT_AT * Math.max(store.slots("delta") + prev.manifest.passages, 1))) return false;
  if (mainChecksum) {
    rmSync(path.join(dir, GRAPH_FILES.main), { force: true });
    await store.loadGraph(prev.dir, "main", mainChecksum);
  }
  const dead = db.prepare<[], number>("SELECT label FROM dead_labels WHERE graph = 'main'").pluck().all();
  const compact = dead.length > COMPACT_AT * Math.max(store.slots("main"), 1);
  if (compact) store.compactMain(new Set(dead));
  else for (const l of dead) store.markDeleted("main", l);
  store.mergeDelta();
  // The new main file records its deleted points, but loading counts them from this table: keep
  // main's rows unless compaction dropped those points; the delta's dead points were not moved.
  db.exec(`DELETE FROM dead_labels WHERE graph = 'delta'${compact ? " OR graph = 'main'" : ""}; UPDATE passages SET graph = 'main' WHERE graph = 'delta'`);
  return true;
}

/** Save the graphs into the build folder; a main graph left as it was is the previous build's file, shared. */
export async function saveGraphs(t: Target, prev: Previous | undefined, mainDirty: boolean, threadGraph: ThreadGraph | undefined): Promise<SavedGraphs> {
  const mainChecksum = prev?.manifest.files[GRAPH_FILES.main];
  const { files, stats: fileStats } = await t.store.save(t.dir, { main: mainDirty });
  if (!mainDirty && mainChecksum) {
    files[GRAPH_FILES.main] = mainChecksum;
    if (t.sharedMainStat) fileStats[GRAPH_FILES.main] = t.sharedMainStat;
  }
  if (threadGraph) {
    files[GRAPH_FILES.main] = threadGraph.checksum;
    fileStats[GRAPH_FILES.main] = threadGraph.stat;
  }
  return { files, fileStats, mainDirty };
}
