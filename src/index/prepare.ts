import { attributeArticle } from "../answer/attribution.js";
import type { Article } from "../corpus/article.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { Passage } from "../passages/passage.js";
import { splitArticle } from "../passages/split.js";
import type { StoredSentence } from "./store.js";

/** An article ready to be written: its passages, their sentences' attributions and their vectors. */
export interface PreparedArticle {
  article: Article;
  passages: Array<Pick<Passage, "id" | "n" | "kind" | "start" | "end"> & { text: string; sentences: StoredSentence[] }>;
  /** One vector per passage, concatenated (`dims` floats each). */
  vectors: Float32Array;
}

/**
 * The CPU-heavy half of indexing, pure over plain data so it can run in worker threads: split into
 * passages, attribute every sentence (index time, not per question), embed every passage.
 */
export async function prepareArticles(articles: Article[], embedder: PassageEmbedder): Promise<PreparedArticle[]> {
  const split = articles.map((a) => ({ article: a, passages: splitArticle(a) }));
  const texts = split.flatMap((s) => s.passages.map((p) => p.text));
  const vectors = texts.length > 0 ? await embedder.embeddings.embedDocuments(texts) : [];
  let v = 0;
  return split.map(({ article, passages }) => {
    const attributions = attributeArticle(passages);
    const flat = new Float32Array(passages.length * embedder.dimensions);
    for (let i = 0; i < passages.length; i++) flat.set(vectors[v++]!, i * embedder.dimensions);
    return {
      article,
      vectors: flat,
      passages: passages.map((p) => ({
        id: p.id,
        n: p.n,
        kind: p.kind,
        start: p.start,
        end: p.end,
        text: p.text,
        sentences: p.sentences.map((s): StoredSentence => {
          const a = attributions.get(s.id);
          return [s.start, s.end, a?.source ?? null, a?.start ?? s.start, a?.end ?? s.start, a?.quoted ? 1 : 0];
        }),
      })),
    };
  });
}
