import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { AppError } from "../errors.js";
import { verifier } from "./verify.js";

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

/** HNSW parameters. The graph ones (m, efConstruction) are recorded in the build's manifest. */
export interface HnswSettings {
  /** Links per node (hnswlib's M). Default 16. */
  m: number;
  /** Candidate list while inserting: build time against recall. Default 64. */
  efConstruction: number;
  /** Candidate list while searching: recall against latency. Default 300. */
  efSearch: number;
  /** The delta graph is merged into the main one once it holds this many points. Default 50000. */
  deltaMax: number;
}

export const DEFAULT_HNSW: HnswSettings = { m: 16, efConstruction: 64, efSearch: 300, deltaMax: 50_000 };

/** Which graph a point lives in. */
export type GraphName = "main" | "delta";

/** The graph files of a build, relative to its folder. */
export const GRAPH_FILES: Record<GraphName, string> = { main: "hnsw/main.hnsw", delta: "hnsw/delta.hnsw" };

/** How the store turns labels back into passages: the build's passage table. */
export interface LabelSource {
  /** Passage id of a live label; undefined for a deleted one. */
  idOf(label: number): string | undefined;
}

export interface HnswStoreArgs {
  dims: number;
  settings: HnswSettings;
  labels: LabelSource;
}

/**
 * Passage vectors in hnswlib. Two graphs: a large main graph whose file is written once and shared
 * by later builds (points whose passage is gone are only marked deleted), and a small delta graph
 * that takes new points and is merged in when it grows past `deltaMax`. Labels are handed out by
 * the caller, increase monotonically and are never reused. LangChain code reaches it through the
 * hybrid search's retriever (`NewsRetriever`, src/service/retriever.ts).
 */
export class HnswStore {
  private readonly graphs: Record<GraphName, Graph | undefined> = { main: undefined, delta: undefined };
  private readonly deleted: Record<GraphName, number> = { main: 0, delta: 0 };
  readonly dims: number;
  readonly settings: HnswSettings;
  readonly labels: LabelSource;
  /** sha256 of the main graph file this store loaded, so that the next build can share the loaded graph. */
  private mainChecksum: string | undefined;

  constructor(args: HnswStoreArgs) {
    this.dims = args.dims;
    this.settings = args.settings;
    this.labels = args.labels;
  }

  /**
   * Load a build's graphs, checking each file first so that a damaged graph is never handed to
   * hnswlib (it reads a damaged file past its buffers: a segmentation fault, not an error): every file
   * is hashed, in the verifier's thread, and must match its recorded sha256, whatever its size and
   * mtime say. `dead` are main-graph labels whose passages are gone. Hashing and reading both run off
   * this thread: the caller can do other work until it awaits the result.
   */
  static async load(
    dir: string,
    args: HnswStoreArgs & { checksums: Record<string, string>; dead: { main: number[]; delta: number }; reuse?: HnswStore | undefined },
  ): Promise<HnswStore> {
    const store = new HnswStore(args);
    const reads: Array<Promise<void>> = [];
    for (const name of ["main", "delta"] as const) {
      const file = GRAPH_FILES[name];
      const expected = args.checksums[file];
      if (expected === undefined) continue;
      // The main file is shared between builds: a serving process that has it loaded keeps using it.
      if (name === "main" && args.reuse && args.reuse.mainChecksum === expected && args.reuse.graphs.main) {
        store.graphs.main = args.reuse.graphs.main;
        store.mainChecksum = expected;
        continue;
      }
      const full = path.join(dir, file);
      const graph = new HierarchicalNSW("cosine", args.dims);
      reads.push(
        checkGraphFile(full, file, expected).then(async () => {
          await graph.readIndex(full, false);
          if (graph.getNumDimensions() !== args.dims)
            throw new AppError("INDEX", `index: dimension mismatch: ${file} has ${graph.getNumDimensions()}, the build has ${args.dims}`);
          graph.setEf(args.settings.efSearch);
          store.graphs[name] = graph;
        }),
      );
      if (name === "main") store.mainChecksum = expected;
    }
    await Promise.all(reads);
    // The delta file records its own deletions; the shared main file cannot, so they come from the build.
    store.deleted.delta = args.dead.delta;
    for (const label of args.dead.main) store.markDeleted("main", label);
    store.deleted.main = args.dead.main.length;
    return store;
  }

  /** Points that can be found, per graph. */
  size(graph?: GraphName): number {
    const n = (g: GraphName) => (this.graphs[g]?.getCurrentCount() ?? 0) - this.deleted[g];
    return graph ? n(graph) : n("main") + n("delta");
  }

  /** Points ever added to a graph, deleted ones included. */
  slots(graph: GraphName): number {
    return this.graphs[graph]?.getCurrentCount() ?? 0;
  }

  /** Insert points into one graph, growing it as needed. */
  addPoints(graph: GraphName, vectors: ArrayLike<number>[], labels: number[]): void {
    if (vectors.length === 0) return;
    const g = this.graphFor(graph, vectors.length);
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i]!;
      if (v.length !== this.dims) throw new AppError("INDEX", `index: dimension mismatch: vector has ${v.length}, index has ${this.dims}`);
      g.addPoint(Array.isArray(v) ? v : Array.from(v), labels[i]!);
    }
  }

  /** Mark a point deleted; searches skip it. */
  markDeleted(graph: GraphName, label: number): void {
    const g = this.graphs[graph];
    if (!g) return;
    try {
      g.markDelete(label);
      this.deleted[graph] += 1;
    } catch {
      // Already deleted, or never in this graph: nothing to skip.
    }
  }

  /** The stored (normalised) vector of a point. */
  vector(graph: GraphName, label: number): number[] {
    return this.graphs[graph]!.getPoint(label);
  }

  /** Live points: label, passage id and graph of each (a full walk: for benchmarks and checks, not serving). */
  entries(): Array<{ label: number; id: string; graph: GraphName }> {
    const out: Array<{ label: number; id: string; graph: GraphName }> = [];
    for (const graph of ["main", "delta"] as const) {
      for (const label of this.labelsOf(graph)) {
        const id = this.labels.idOf(label);
        if (id !== undefined) out.push({ label, id, graph });
      }
    }
    return out;
  }

  /** Every label of a graph, deleted ones included. */
  labelsOf(graph: GraphName): number[] {
    return this.graphs[graph]?.getIdsList() ?? [];
  }

  /** Load one graph file of a build into this store (the builder loads the main graph only to merge or compact it). */
  async loadGraph(dir: string, name: GraphName, checksum: string): Promise<void> {
    const full = path.join(dir, GRAPH_FILES[name]);
    await checkGraphFile(full, GRAPH_FILES[name], checksum);
    const graph = new HierarchicalNSW("cosine", this.dims);
    await graph.readIndex(full, false);
    graph.setEf(this.settings.efSearch);
    this.graphs[name] = graph;
    this.deleted[name] = 0;
  }

  /** Rebuild the main graph from its live points: drops deleted slots without re-embedding. */
  compactMain(dead: Set<number>): void {
    const old = this.graphs.main;
    if (!old) return;
    const live = old.getIdsList().filter((l) => !dead.has(l));
    this.graphs.main = undefined;
    this.deleted.main = 0;
    for (let i = 0; i < live.length; i += 4096) {
      const chunk = live.slice(i, i + 4096);
      this.addPoints(
        "main",
        chunk.map((l) => old.getPoint(l)),
        chunk,
      );
    }
  }

  /** Move every live delta point into the main graph and start an empty delta. */
  mergeDelta(): void {
    const delta = this.graphs.delta;
    if (!delta) return;
    const live = delta.getIdsList().filter((l) => this.labels.idOf(l) !== undefined);
    this.addPoints(
      "main",
      live.map((l) => delta.getPoint(l)),
      live,
    );
    this.graphs.delta = undefined;
    this.deleted.delta = 0;
  }

  /** Nearest passages by cosine similarity (1 = same direction), best first, from both graphs. */
  search(vector: number[], k: number, filter?: (passageId: string) => boolean): Array<{ label: number; id: string; similarity: number }> {
    return this.searchLabels(vector, k, filter);
  }

  /** Write the graphs this build changed, with their sha256 and stat. `main` false keeps the previous build's shared main file. */
  async save(dir: string, opts: { main: boolean }): Promise<{ files: Record<string, string>; stats: Record<string, FileStat> }> {
    const files: Record<string, string> = {};
    const stats: Record<string, FileStat> = {};
    for (const name of ["main", "delta"] as const) {
      const g = this.graphs[name];
      if (!g || (name === "main" && !opts.main)) continue;
      const file = path.join(dir, GRAPH_FILES[name]);
      await g.writeIndex(file);
      files[GRAPH_FILES[name]] = sha256File(file);
      stats[GRAPH_FILES[name]] = fileStat(file);
    }
    return { files, stats };
  }

  /** Each label is turned into its passage id once (a lookup in the build's passage table). */
  private searchLabels(vector: number[], k: number, filter?: (passageId: string) => boolean): Array<{ label: number; id: string; similarity: number }> {
    const ids = new Map<number, string | undefined>();
    const idOf = (label: number) => {
      if (!ids.has(label)) ids.set(label, this.labels.idOf(label));
      return ids.get(label);
    };
    const accept = filter
      ? (label: number) => {
          const id = idOf(label);
          return id !== undefined && filter(id);
        }
      : undefined;
    const hits: Array<{ label: number; similarity: number }> = [];
    for (const name of ["main", "delta"] as const) {
      const g = this.graphs[name];
      const n = this.size(name);
      if (!g || n <= 0) continue;
      const r = g.searchKnn(vector, Math.min(k, g.getCurrentCount()), accept);
      r.neighbors.forEach((label, i) => hits.push({ label, similarity: 1 - r.distances[i]! }));
    }
    hits.sort((a, b) => b.similarity - a.similarity);
    return hits.slice(0, k).flatMap(({ label, similarity }) => {
      const id = idOf(label);
      return id === undefined ? [] : [{ label, id, similarity }];
    });
  }

  private graphFor(name: GraphName, adding: number): Graph {
    let g = this.graphs[name];
    if (!g) {
      g = new HierarchicalNSW("cosine", this.dims);
      g.initIndex({ maxElements: Math.max(1024, adding), m: this.settings.m, efConstruction: this.settings.efConstruction, randomSeed: 100 });
      g.setEf(this.settings.efSearch);
      this.graphs[name] = g;
    } else if (g.getCurrentCount() + adding > g.getMaxElements()) {
      g.resizeIndex(Math.max(g.getCurrentCount() + adding, Math.ceil(g.getMaxElements() * 1.5)));
    }
    return g;
  }
}

/** Size and modification time of a written file, as recorded in the manifest. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

export function fileStat(file: string): FileStat {
  const s = statSync(file);
  return { size: s.size, mtimeMs: s.mtimeMs };
}

/**
 * A graph file is byte for byte what the build wrote (sha256, hashed in the verifier's thread). Size
 * and mtime are no proof: a damaged sector or a copy that keeps timestamps leaves both as they were.
 */
async function checkGraphFile(full: string, file: string, checksum: string): Promise<void> {
  if (!existsSync(full)) throw new AppError("INDEX", `${file} is missing`);
  if ((await verifier.hash(full)) !== checksum) throw new AppError("INDEX", `${file} does not match its checksum`);
}

/** sha256 of a file, read in 4 MiB chunks: a graph file is never held in memory twice. */
export function sha256File(file: string): string {
  const hash = createHash("sha256");
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(file, "r");
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
