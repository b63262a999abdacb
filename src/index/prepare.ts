import { readFileSync } from "node:fs";
import path from "node:path";
import { attributeArticle } from "../passages/attribution.js";
import type { Article } from "../corpus/article.js";
import { embedPassages, type PassageEmbedder } from "../embeddings/provider.js";
import type { Passage } from "../passages/passage.js";
import { splitArticle } from "../passages/split.js";
import { articleFacts, type PreparedFacts } from "./facts.js";
import { LexicalIndex, termCount } from "./lexical.js";
import type { StoredSentence } from "./store.js";

/** An article ready to be written: its passages, their sentences' attributions and their vectors. */
export interface PreparedArticle {
  article: Article;
  /** The title's lexical terms, as the FTS table stores them (`LexicalIndex.row`). */
  titleTerms: string;
  /**
   * `terms`: the passage's lexical terms, as the FTS table stores them; `length`: how many, the title's
   * included (BM25's length); `sentences`: the stored sentences (`StoredSentence[]`) as JSON.
   */
  passages: Array<Pick<Passage, "id" | "n" | "kind" | "start" | "end"> & { terms: string; length: number; sentences: string }>;
  /** One vector per passage, concatenated (`dims` floats each). */
  vectors: Float32Array;
  /** Its terms, topic and section headings (`articleFacts`). */
  facts: PreparedFacts;
  /**
   * Words the embedder knows but its cache lacks (GloVe: left out of the binary cache). The vectors
   * were made without them: the build grows the cache and embeds this article's passages again.
   */
  missing: string[];
}

/** A corpus file to read and prepare; `indexed`: what the previous build has of it (same content: nothing to prepare). */
export interface FileToPrepare {
  file: string;
  indexed?: { id: string; hash: string } | undefined;
}

/** What became of one file: unreadable (`code`), not an article (`problem`), the same as indexed (`same`: its id), or prepared. */
export type PreparedFile =
  | { file: string; unreadable: string }
  | { file: string; problem: string }
  | { file: string; same: string }
  | { file: string; prepared: PreparedArticle };

/**
 * The CPU-heavy half of indexing, over plain data so it can run in worker threads: read and parse
 * each file, split it into passages, attribute every sentence (index time, not per question), embed
 * every passage, and normalise its words for the FTS table. Results are in the order of `files`.
 */
export async function prepareFiles(corpusDir: string, files: FileToPrepare[], embedder: PassageEmbedder): Promise<PreparedFile[]> {
  // Parsing pulls in front matter, date and encoding libraries: only builds need them.
  const { parseArticleFile } = await import("../corpus/load.js");
  const out: PreparedFile[] = [];
  const articles: Article[] = [];
  const at: number[] = [];
  for (const { file, indexed } of files) {
    let raw: Buffer;
    try {
      raw = readFileSync(path.join(corpusDir, file));
    } catch (err) {
      out.push({ file, unreadable: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
      continue;
    }
    const parsed = parseArticleFile(file, raw);
    if ("problem" in parsed) out.push(parsed);
    else if (indexed && indexed.hash === parsed.hash && indexed.id === parsed.id) out.push({ file, same: parsed.id });
    else {
      at.push(out.length);
      out.push({ file, same: "" });
      articles.push(parsed);
    }
  }
  const prepared = await prepareArticles(articles, embedder);
  at.forEach((i, k) => (out[i] = { file: prepared[k]!.article.file, prepared: prepared[k]! }));
  return out;
}

/** Split, attribute, embed, normalise and work out the facts of parsed articles (see `prepareFiles`). */
export async function prepareArticles(articles: Article[], embedder: PassageEmbedder): Promise<PreparedArticle[]> {
  const { dimensions: dims } = embedder;
  const split = articles.map((a) => ({ article: a, passages: splitArticle(a) }));
  // One embedding call per article: the words missing from the cache are told apart by article.
  const embedded: Array<{ vectors: Float32Array; missing: Set<string> }> = [];
  for (const { passages } of split) {
    const missing = new Set<string>();
    embedded.push({
      vectors: await embedPassages(
        embedder,
        passages.map((p) => p.text),
        missing,
      ),
      missing,
    });
  }
  return split.map(({ article, passages }, k) => {
    const attributions = attributeArticle(passages);
    const titleTerms = LexicalIndex.titleRow(article.title, article.body);
    const titleLength = termCount(titleTerms);
    const { vectors, missing } = embedded[k]!;
    if (vectors.length !== passages.length * dims)
      throw new Error(`index: embedder ${embedder.name} returned ${vectors.length / dims} vectors for ${passages.length} passages`);
    return {
      article,
      titleTerms,
      vectors,
      facts: articleFacts(article, passages),
      missing: [...missing],
      passages: passages.map((p) => {
        const terms = LexicalIndex.row(p.text, "").text;
        const sentences = p.sentences.map((s): StoredSentence => {
          const a = attributions.get(s.id);
          return [s.start, s.end, a?.source ?? null, a?.start ?? s.start, a?.end ?? s.start, a?.quoted ? 1 : 0];
        });
        return {
          id: p.id,
          n: p.n,
          kind: p.kind,
          start: p.start,
          end: p.end,
          terms,
          length: termCount(terms) + titleLength,
          sentences: JSON.stringify(sentences),
        };
      }),
    };
  });
}
