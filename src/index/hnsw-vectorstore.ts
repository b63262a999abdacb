import { Document, type DocumentInterface } from "@langchain/core/documents";
import { VectorStore } from "@langchain/core/vectorstores";
import { AppError } from "../errors.js";
import type { GraphName, HnswStore } from "./hnsw-store.js";

/**
 * An `HnswStore` behind LangChain's `VectorStore` interface (`HnswStore.vectorStore()`): retrievers
 * and similarity searches return passages as LangChain documents, `{ id, label }` in their metadata.
 */
export class HnswVectorStore extends VectorStore {
  declare FilterType: (passageId: string) => boolean;

  constructor(readonly store: HnswStore) {
    super(store.embeddings, {});
  }

  _vectorstoreType(): string {
    return "news-cite-hnsw";
  }

  /** LangChain's entry point: `options.labels` (required) are the points' labels; `options.graph` defaults to delta. */
  async addVectors(vectors: number[][], documents: DocumentInterface[], options?: { labels?: number[]; graph?: GraphName }): Promise<string[]> {
    const labels = options?.labels;
    if (!labels || labels.length !== vectors.length || documents.length !== vectors.length) {
      throw new AppError("INDEX", "index: addVectors needs one label per vector and document (labels are assigned by the build)");
    }
    this.store.addPoints(options.graph ?? "delta", vectors, labels);
    return labels.map(String);
  }

  async addDocuments(documents: DocumentInterface[], options?: { labels?: number[]; graph?: GraphName }): Promise<string[]> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    return this.addVectors(vectors, documents, options);
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this["FilterType"]): Promise<[DocumentInterface, number][]> {
    return this.store.search(query, k, filter).flatMap(({ label, similarity }) => {
      const p = this.store.labels.passage(label);
      return p ? [[new Document({ pageContent: p.text, metadata: { id: p.id, label } }), similarity] as [DocumentInterface, number]] : [];
    });
  }
}
