import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, writeFile, open } from "node:fs/promises";
import path from "node:path";
import type { Article } from "../corpus/article.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { Passage, PassageKind } from "../passages/passage.js";
import { LexicalIndex } from "./lexical.js";
import { INDEX_FORMAT, manifestSchema, type Manifest } from "./manifest.js";
import { VectorIndex } from "./vector.js";

/** A loaded, consistent index build: what retrieval and answering read. Never mutated once served. */
export interface IndexData {
  dir: string;
  manifest: Manifest;
  articles: Map<string, Article>;
  passages: Map<string, Passage>;
  byArticle: Map<string, Passage[]>;
  lexical: LexicalIndex;
  vector: VectorIndex;
}

/** Passages on disk without their text (it is a slice of the article body): [n, kind, start, end, sentence offsets]. */
type StoredPassage = [number, PassageKind, number, number, Array<[number, number]>];

const HASHED_FILES = ["articles.json", "passages.json", "lexical.json", "hnsw/hnswlib.index", "hnsw/docstore.json", "hnsw/args.json"];

export const indexRoot = (dataDir: string) => path.join(dataDir, "index");
const pointerFile = (dataDir: string) => path.join(indexRoot(dataDir), "CURRENT");
const buildsDir = (dataDir: string) => path.join(indexRoot(dataDir), "builds");

/** Why an index can't be used as it is. */
export type LoadFailure = { reason: "missing" | "format" | "embedder" | "corrupt"; detail: string };

/** Load the current build, checking format, embedder and every file's hash. */
export async function loadIndex(dataDir: string, embedder: PassageEmbedder): Promise<IndexData | LoadFailure> {
  let name: string;
  try {
    name = (await readFile(pointerFile(dataDir), "utf8")).trim();
  } catch {
    return { reason: "missing", detail: "no index has been built" };
  }
  const dir = path.join(buildsDir(dataDir), name);
  let manifest: Manifest;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")));
    if (!parsed.success) {
      const format = (JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as { format?: unknown }).format;
      return format !== INDEX_FORMAT
        ? { reason: "format", detail: `index format ${String(format)}, this version reads ${INDEX_FORMAT}` }
        : { reason: "corrupt", detail: `manifest.json: ${parsed.error.issues[0]?.message ?? "invalid"}` };
    }
    manifest = parsed.data;
  } catch (err) {
    return { reason: "corrupt", detail: `manifest.json unreadable: ${(err as Error).message}` };
  }
  if (manifest.embedder.name !== embedder.name || manifest.embedder.dimensions !== embedder.dimensions) {
    return {
      reason: "embedder",
      detail: `embedder mismatch: built with ${manifest.embedder.name}-${manifest.embedder.dimensions}, loading with ${embedder.name}-${embedder.dimensions}`,
    };
  }
  // Read, check and parse one file at a time so that only one raw buffer is alive at once.
  const verified = async (file: string): Promise<Buffer> => {
    const buf = await readFile(path.join(dir, file));
    if (sha256(buf) !== manifest.files[file]) throw new CorruptFile(`${file} does not match its checksum`);
    return buf;
  };
  const read = async (file: string): Promise<string> => (await verified(file)).toString("utf8");
  try {
    for (const file of HASHED_FILES) if (!existsSync(path.join(dir, file))) return { reason: "corrupt", detail: `${file} is missing` };
    const articles = new Map<string, Article>((JSON.parse(await read("articles.json")) as Article[]).map((a) => [a.id, a]));
    const stored = JSON.parse(await read("passages.json")) as Record<string, StoredPassage[]>;
    const passages = new Map<string, Passage>();
    const byArticle = new Map<string, Passage[]>();
    for (const [articleId, list] of Object.entries(stored)) {
      const article = articles.get(articleId);
      if (!article) throw new Error(`passages of unknown article ${articleId}`);
      const ps = list.map((p) => inflatePassage(article, p));
      byArticle.set(articleId, ps);
      for (const p of ps) passages.set(p.id, p);
    }
    const lexical = LexicalIndex.fromJSON(await read("lexical.json"));
    // hnswlib reads its own file; checking it first keeps a damaged graph from being loaded at all.
    for (const file of HASHED_FILES.filter((f) => f.startsWith("hnsw/"))) await verified(file);
    const vector = await VectorIndex.load(path.join(dir, "hnsw"), embedder.embeddings);
    if (vector.size !== passages.size || lexical.size !== passages.size) {
      throw new Error(`index sizes disagree: ${passages.size} passages, ${vector.size} vectors, ${lexical.size} lexical`);
    }
    return { dir, manifest, articles, passages, byArticle, lexical, vector };
  } catch (err) {
    return { reason: "corrupt", detail: (err as Error).message };
  }
}

/** Write a build into a fresh folder, then switch the pointer to it atomically and drop older builds. */
export async function saveIndex(dataDir: string, data: Omit<IndexData, "dir" | "manifest">, manifest: Omit<Manifest, "files">): Promise<IndexData> {
  const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`;
  const dir = path.join(buildsDir(dataDir), name);
  await mkdir(path.join(dir, "hnsw"), { recursive: true });
  const stored: Record<string, StoredPassage[]> = {};
  for (const [id, ps] of data.byArticle) stored[id] = ps.map(deflatePassage);
  await writeFile(path.join(dir, "articles.json"), JSON.stringify([...data.articles.values()]));
  await writeFile(path.join(dir, "passages.json"), JSON.stringify(stored));
  await writeFile(path.join(dir, "lexical.json"), data.lexical.toJSON());
  await data.vector.save(path.join(dir, "hnsw"));
  const files: Record<string, string> = {};
  for (const file of HASHED_FILES) files[file] = sha256(await readFile(path.join(dir, file)));
  const full: Manifest = { ...manifest, files };
  await writeFile(path.join(dir, "manifest.json"), JSON.stringify(full, null, 2));
  await switchTo(dataDir, name);
  await pruneBuilds(dataDir, name);
  return { ...data, dir, manifest: full };
}

async function switchTo(dataDir: string, name: string): Promise<void> {
  const tmp = `${pointerFile(dataDir)}.${process.pid}.tmp`;
  const fh = await open(tmp, "w");
  await fh.writeFile(`${name}\n`);
  await fh.sync();
  await fh.close();
  await rename(tmp, pointerFile(dataDir));
}

/** Remove every build but the current one, including half-written ones a crash left behind. */
async function pruneBuilds(dataDir: string, keep: string): Promise<void> {
  if (!existsSync(buildsDir(dataDir))) return;
  for (const entry of await readdir(buildsDir(dataDir))) {
    if (entry !== keep) await rm(path.join(buildsDir(dataDir), entry), { recursive: true, force: true });
  }
}

function deflatePassage(p: Passage): StoredPassage {
  return [p.n, p.kind, p.start, p.end, p.sentences.map((s) => [s.start, s.end])];
}

function inflatePassage(article: Article, [n, kind, start, end, sentences]: StoredPassage): Passage {
  const id = `${article.id}#p${n}`;
  return {
    id,
    articleId: article.id,
    n,
    kind,
    start,
    end,
    text: article.body.slice(start, end),
    sentences: sentences.map(([s, e], i) => ({ id: `${id}.s${i + 1}`, start: s, end: e, text: article.body.slice(s, e) })),
  };
}

class CorruptFile extends Error {}

function sha256(buf: Buffer): string {
  return createHash("sha256").update(buf).digest("hex");
}
