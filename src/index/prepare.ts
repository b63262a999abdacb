import { attributeArticle } from "../answer/attribution.js";
import type { Article } from "../corpus/article.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { Passage } from "../passages/passage.js";
import { splitArticle } from "../passages/split.js";
import { LexicalIndex, termCount } from "./lexical.js";
import type { StoredSentence } from "./store.js";

/** An article ready to be written: its passages, their sentences' attributions and their vectors. */
export interface PreparedArticle {
  article: Article;
  /** The title's lexical terms, as the FTS table stores them (`LexicalIndex.row`). */
  titleTerms: string;
  /** `terms`: the passage's lexical terms, as the FTS table stores them; `length`: how many, the title's included (BM25's length). */
  passages: Array<Pick<Passage, "id" | "n" | "kind" | "start" | "end"> & { terms: string; length: number; sentences: StoredSentence[] }>;
  /** One vector per passage, concatenated (`dims` floats each). */
  vectors: Float32Array;
}

/**
 * The CPU-heavy half of indexing, pure over plain data so it can run in worker threads: split into
 * passages, attribute every sentence (index time, not per question), embed every passage, and
 * normalise its words for the FTS table.
 */
export async function prepareArticles(articles: Article[], embedder: PassageEmbedder): Promise<PreparedArticle[]> {
  const split = articles.map((a) => ({ article: a, passages: splitArticle(a) }));
  const texts = split.flatMap((s) => s.passages.map((p) => p.text));
  const vectors = texts.length > 0 ? await embedder.embeddings.embedDocuments(texts) : [];
  let v = 0;
  return split.map(({ article, passages }) => {
    const attributions = attributeArticle(passages);
    const titleTerms = LexicalIndex.row("", article.title).title;
    const titleLength = termCount(titleTerms);
    const flat = new Float32Array(passages.length * embedder.dimensions);
    for (let i = 0; i < passages.length; i++) flat.set(vectors[v++]!, i * embedder.dimensions);
    return {
      article,
      titleTerms,
      vectors: flat,
      passages: passages.map((p) => {
        const terms = LexicalIndex.row(p.text, "").text;
        return {
          id: p.id,
          n: p.n,
          kind: p.kind,
          start: p.start,
          end: p.end,
          terms,
          length: termCount(terms) + titleLength,
          sentences: p.sentences.map((s): StoredSentence => {
            const a = attributions.get(s.id);
            return [s.start, s.end, a?.source ?? null, a?.start ?? s.start, a?.end ?? s.start, a?.quoted ? 1 : 0];
          }),
        };
      }),
    };
  });
}
