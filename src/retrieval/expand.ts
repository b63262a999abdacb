import type { GloveEmbeddings } from "../embeddings/glove.js";
import { STOP_WORDS, wordTokens } from "../embeddings/tokenize.js";
import { lexicalTerm, type LexicalIndex } from "../index/lexical.js";

export interface ExpansionOptions {
  /** Neighbours kept per query word. Default 3. */
  perWord?: number;
  /** Least cosine similarity between a word and its neighbour. Default 0.65. */
  minSimilarity?: number;
  /** Only the most frequent GloVe words are candidates (rarer ones are noise). Default 60000. */
  candidateRank?: number;
}

/** Rank under which GloVe words are too common to be useful expansions. */
const COMMON_WORDS = 300;

/**
 * Query expansion with the word vectors: each content word of the question that the corpus never
 * uses brings its nearest GloVe neighbours that it does use ("frontier" → border, "atomic" → nuclear).
 * Candidates are built once per index: unit vectors of frequent words present in the corpus.
 */
export class QueryExpander {
  private readonly words: string[] = [];
  private readonly matrix: Float32Array;
  private readonly cache = new Map<string, string[]>();
  private readonly opts: Required<ExpansionOptions>;

  constructor(
    private readonly glove: GloveEmbeddings,
    private readonly lexical: LexicalIndex,
    opts: ExpansionOptions = {},
  ) {
    this.opts = { perWord: 3, minSimilarity: 0.65, candidateRank: 60000, ...opts };
    const vectors: Float32Array[] = [];
    let rank = 0;
    for (const word of glove.vocabulary(this.opts.candidateRank)) {
      // The few hundred most frequent words ("first", "new", "part") neighbour everything.
      if (rank++ < COMMON_WORDS || STOP_WORDS.has(word) || !/^[a-z][a-z-]+$/.test(word)) continue;
      // Every surface form counts ("restored" is close to "rebuilt" where "restore" is not).
      if (lexicalTerm(word) === null || lexical.documentFrequency(word) === 0) continue;
      const v = glove.wordVector(word);
      if (!v) continue;
      this.words.push(word);
      vectors.push(v);
    }
    this.matrix = new Float32Array(vectors.length * glove.dimensions);
    vectors.forEach((v, i) => this.matrix.set(v, i * glove.dimensions));
  }

  /** Expansion terms for a question (never its own words or their stems). */
  expand(question: string): string[] {
    const own = new Set(wordTokens(question).map(lexicalTerm).filter((t): t is string => t !== null));
    const out = new Set<string>();
    // Names ("Armenia", "Putin") and numbers are never expanded: a neighbour is another entity.
    const common = new Set(question.match(/(?<![\p{L}\p{N}])\p{Ll}[\p{Ll}'’-]*/gu) ?? []);
    for (const word of new Set(wordTokens(question))) {
      if (STOP_WORDS.has(word) || word.length < 3 || !common.has(word)) continue;
      // Only words the corpus never uses need another word: expanding the rest only adds noise.
      if (this.lexical.documentFrequency(word) > 0) continue;
      for (const n of this.neighbours(word)) if (!own.has(lexicalTerm(n) ?? "")) out.add(n);
    }
    return [...out];
  }

  private neighbours(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const v = this.glove.wordVector(word);
    const result: string[] = [];
    if (v) {
      const dims = v.length;
      const best: Array<[number, number]> = [];
      const stem = lexicalTerm(word);
      for (let i = 0; i < this.words.length; i++) {
        let dot = 0;
        const base = i * dims;
        for (let d = 0; d < dims; d++) dot += v[d]! * this.matrix[base + d]!;
        if (dot < this.opts.minSimilarity) continue;
        best.push([dot, i]);
      }
      best.sort((a, b) => b[0] - a[0]);
      const seen = new Set([stem]);
      for (const [, i] of best) {
        const w = this.words[i]!;
        const t = lexicalTerm(w);
        if (seen.has(t)) continue;
        seen.add(t);
        result.push(w);
        if (result.length >= this.opts.perWord) break;
      }
    }
    if (this.cache.size > 10000) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }
}
