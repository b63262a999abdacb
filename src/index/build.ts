import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Article, CorpusProblem } from "../corpus/article.js";
import { listArticleFiles, loadCorpus } from "../corpus/load.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { Passage } from "../passages/passage.js";
import { splitArticle } from "../passages/split.js";
import type { BuildProgress, ReindexSummary } from "../core.js";
import { LexicalIndex } from "./lexical.js";
import type { Manifest } from "./manifest.js";
import { INDEX_FORMAT } from "./manifest.js";
import { saveIndex, type IndexData } from "./store.js";
import { VectorIndex } from "./vector.js";

export interface BuildOptions {
  corpusDir: string;
  dataDir: string;
  embedder: PassageEmbedder;
  /** The build being served now: unchanged articles reuse its passages and vectors. */
  previous?: IndexData | undefined;
  onProgress?: ((p: BuildProgress) => void) | undefined;
}

export interface BuildResult {
  index: IndexData;
  /** The embedder after the build (GloVe may have grown its vocabulary). */
  embedder: PassageEmbedder;
  summary: ReindexSummary;
}

const EMBED_BATCH = 256;
/** Rebuild the graph from stored vectors once deleted points exceed this share. */
const COMPACT_AT = 0.25;

/** Has any corpus file changed since this build? Stat only, so it is cheap at start-up. */
export async function corpusChanged(corpusDir: string, manifest: Manifest): Promise<boolean> {
  const files = await listArticleFiles(corpusDir);
  const known = new Map(Object.values(manifest.articles).map((a) => [a.file, a]));
  const problemFiles = new Set(manifest.problems.map((p) => p.file));
  if (files.length !== known.size + problemFiles.size) return true;
  for (const file of files) {
    if (problemFiles.has(file)) continue;
    const entry = known.get(file);
    if (!entry) return true;
    const s = await stat(path.join(corpusDir, file));
    if (s.size !== entry.size || s.mtimeMs !== entry.mtimeMs) return true;
  }
  return false;
}

/**
 * Build the index from the corpus folder. Unchanged articles (same content hash, same embedder)
 * keep their passages and vectors; only added and changed articles are split and embedded.
 */
export async function buildIndex(opts: BuildOptions): Promise<BuildResult> {
  const t0 = performance.now();
  const { corpusDir, dataDir } = opts;
  const progress = opts.onProgress ?? (() => {});
  progress({ phase: "load", done: 0, total: 1 });
  const { articles, problems } = await loadCorpus(corpusDir);
  progress({ phase: "load", done: 1, total: 1 });

  const prev = opts.previous && opts.previous.manifest.embedder.name === opts.embedder.name ? opts.previous : undefined;
  const added: string[] = [];
  const changed: string[] = [];
  const fresh: Article[] = [];
  const reused: Article[] = [];
  for (const a of articles) {
    const old = prev?.manifest.articles[a.id];
    if (!old) added.push(a.id);
    else if (old.hash !== a.hash) changed.push(a.id);
    else {
      reused.push(a);
      continue;
    }
    fresh.push(a);
  }
  const current = new Set(articles.map((a) => a.id));
  const removed = prev ? Object.keys(prev.manifest.articles).filter((id) => !current.has(id)) : [];

  if (prev && fresh.length === 0 && removed.length === 0 && !(await corpusChanged(corpusDir, prev.manifest))) {
    progress({ phase: "done", done: 1, total: 1 });
    const { manifest } = prev;
    return {
      index: prev,
      embedder: opts.embedder,
      summary: { added, changed, removed, unchanged: reused.length, articles: articles.length, passages: manifest.passages, embedded: 0, problems, ms: Math.round(performance.now() - t0), builtAt: manifest.builtAt },
    };
  }

  // Split new and changed articles; reuse the rest as they are.
  const byArticle = new Map<string, Passage[]>();
  for (const a of reused) byArticle.set(a.id, prev!.byArticle.get(a.id)!);
  const newPassages: Passage[] = [];
  for (const a of fresh) {
    const ps = splitArticle(a);
    byArticle.set(a.id, ps);
    newPassages.push(...ps);
  }

  let embedder = opts.embedder;
  if (embedder.withVocabulary && newPassages.length > 0) embedder = embedder.withVocabulary(newPassages.map((p) => p.text));

  // Start from the served build's files (never its in-memory objects, which keep answering).
  let vector: VectorIndex;
  let lexical: LexicalIndex;
  const stale = new Set([...changed, ...removed]);
  if (prev) {
    vector = await VectorIndex.load(path.join(prev.dir, "hnsw"), embedder.embeddings);
    lexical = LexicalIndex.fromJSON(await readFile(path.join(prev.dir, "lexical.json"), "utf8"));
    const staleLabels = vector.entries().filter(([, id]) => stale.has(id.slice(0, id.lastIndexOf("#p"))));
    vector.remove(staleLabels.map(([label]) => label));
    lexical.remove(staleLabels.map(([, id]) => id));
    if (vector.slots - vector.size > COMPACT_AT * Math.max(vector.size, 1)) vector = await compact(vector, embedder);
  } else {
    vector = VectorIndex.create(embedder.embeddings, embedder.dimensions);
    lexical = LexicalIndex.create();
  }

  const titles = new Map(articles.map((a) => [a.id, a.title]));
  progress({ phase: "embed", done: 0, total: newPassages.length });
  const vectors: number[][] = [];
  for (let i = 0; i < newPassages.length; i += EMBED_BATCH) {
    const batch = newPassages.slice(i, i + EMBED_BATCH);
    vectors.push(...(await embedder.embeddings.embedDocuments(batch.map((p) => p.text))));
    lexical.add(batch.map((p) => ({ id: p.id, text: p.text, title: titles.get(p.articleId) ?? "" })));
    progress({ phase: "embed", done: Math.min(i + EMBED_BATCH, newPassages.length), total: newPassages.length });
  }
  // One insert: LangChain's docstore checks new ids against all existing ones on every add.
  await vector.add(vectors, newPassages.map((p) => p.id));

  progress({ phase: "write", done: 0, total: 1 });
  const articleMap = new Map(articles.map((a) => [a.id, a]));
  const passages = new Map<string, Passage>();
  for (const ps of byArticle.values()) for (const p of ps) passages.set(p.id, p);
  const manifestArticles: Manifest["articles"] = {};
  for (const a of articles) {
    const s = await stat(path.join(corpusDir, a.file));
    manifestArticles[a.id] = { file: a.file, hash: a.hash, size: s.size, mtimeMs: s.mtimeMs, passages: byArticle.get(a.id)!.length };
  }
  const builtAt = new Date().toISOString();
  const ms = Math.round(performance.now() - t0);
  const index = await saveIndex(
    dataDir,
    { articles: articleMap, passages, byArticle, lexical, vector },
    { format: INDEX_FORMAT, builtAt, buildMs: ms, embedder: { name: embedder.name, dimensions: embedder.dimensions }, articles: manifestArticles, passages: passages.size, problems },
  );
  progress({ phase: "done", done: 1, total: 1 });
  const summary: ReindexSummary = {
    added,
    changed,
    removed,
    unchanged: reused.length,
    articles: articles.length,
    passages: passages.size,
    embedded: newPassages.length,
    problems: problems as CorpusProblem[],
    ms: Math.round(performance.now() - t0),
    builtAt,
  };
  return { index, embedder, summary };
}

/** A fresh graph from the stored vectors of live points: drops deleted slots without re-embedding. */
async function compact(old: VectorIndex, embedder: PassageEmbedder): Promise<VectorIndex> {
  const next = VectorIndex.create(embedder.embeddings, embedder.dimensions);
  const entries = old.entries();
  for (let i = 0; i < entries.length; i += 4096) {
    const chunk = entries.slice(i, i + 4096);
    await next.add(chunk.map(([label]) => old.vector(label)), chunk.map(([, id]) => id));
  }
  return next;
}
