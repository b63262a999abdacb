import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { HNSWLib } from "@langchain/community/vectorstores/hnswlib";
import { AppError } from "../errors.js";

/** HNSW search parameters (the graph uses hnswlib's defaults: M 16, efConstruction 200). */
export interface VectorIndexOptions {
  /** Search-time candidate list; recall grows with it. Default 300. */
  efSearch?: number;
}

/**
 * Passage vectors in hnswlib through LangChain's HNSWLib store. Each point's document carries only
 * the passage id: texts live once, in the passage store, so the docstore stays small.
 */
export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib,
    private readonly efSearch: number,
  ) {
    if (store.args.numDimensions !== undefined && hasIndex(store)) store.index.setEf(efSearch);
  }

  static create(embeddings: EmbeddingsInterface, dims: number, opts: VectorIndexOptions = {}): VectorIndex {
    return new VectorIndex(new HNSWLib(embeddings, { space: "cosine", numDimensions: dims }), opts.efSearch ?? 300);
  }

  static async load(dir: string, embeddings: EmbeddingsInterface, opts: VectorIndexOptions = {}): Promise<VectorIndex> {
    const store = await HNSWLib.load(dir, embeddings);
    return new VectorIndex(store, opts.efSearch ?? 300);
  }

  get dims(): number {
    return this.store.args.numDimensions ?? 0;
  }

  /** Live points (deleted ones excluded). */
  get size(): number {
    return this.store.docstore._docs.size;
  }

  /** Points ever added, deleted ones included: how much compaction would save. */
  get slots(): number {
    return hasIndex(this.store) ? this.store.index.getCurrentCount() : 0;
  }

  async add(vectors: number[][], passageIds: string[]): Promise<void> {
    if (vectors.length === 0) return;
    for (const v of vectors) {
      if (v.length !== this.dims) throw new AppError("INDEX", `index: dimension mismatch: vector has ${v.length}, index has ${this.dims}`);
    }
    // LangChain creates the graph on first add with hnswlib's defaults (M 16, efConstruction 200).
    await this.store.addVectors(
      vectors,
      passageIds.map((id) => new Document({ pageContent: "", metadata: { id } })),
    );
    this.store.index.setEf(this.efSearch);
  }

  /** Labels and passage ids of every live point. */
  entries(): Array<[label: number, passageId: string]> {
    return [...this.store.docstore._docs.entries()].map(([label, doc]) => [Number(label), String(doc.metadata["id"])]);
  }

  /** Stored vector of a point (reused by incremental builds instead of re-embedding). */
  vector(label: number): number[] {
    return this.store.index.getPoint(label);
  }

  /** Mark points deleted; hnswlib skips them in searches. */
  remove(labels: number[]): void {
    for (const label of labels) {
      this.store.index.markDelete(label);
      this.store.docstore._docs.delete(String(label));
    }
  }

  /** Nearest passages by cosine similarity (1 = same direction), best first. */
  search(vector: number[], k: number, filter?: (passageId: string) => boolean): Array<{ id: string; similarity: number }> {
    const n = this.size;
    if (n === 0 || !hasIndex(this.store)) return [];
    const docs = this.store.docstore._docs;
    const accept = filter ? (label: number) => { const d = docs.get(String(label)); return d !== undefined && filter(String(d.metadata["id"])); } : undefined;
    const result = this.store.index.searchKnn(vector, Math.min(k, n), accept);
    return result.neighbors.map((label, i) => ({ id: String(docs.get(String(label))?.metadata["id"]), similarity: 1 - result.distances[i]! }));
  }

  async save(dir: string): Promise<void> {
    await this.store.save(dir);
  }
}

function hasIndex(store: HNSWLib): boolean {
  try {
    return store.index !== undefined;
  } catch {
    return false;
  }
}
