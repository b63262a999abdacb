import type { GloveEmbeddings } from "../embeddings/glove.js";
import { lexicalTerm, STOP_WORDS, wordTokens } from "../text/terms.js";
import type { LexicalIndex } from "../index/lexical.js";

export interface ExpansionOptions {
  /** Neighbours kept per query word. Default 3. */
  perWord?: number;
  /** Least cosine similarity between a word and its neighbour. Default 0.65. */
  minSimilarity?: number;
  /** Only GloVe words under this frequency rank are candidates (rarer ones are noise). Default 60000. */
  candidateRank?: number;
}

/** Rank under which GloVe words are too common to be useful expansions ("first", "new", "part"). */
const COMMON_WORDS = 300;
/** Expansions remembered per index. */
const CACHE_SIZE = 10000;

/**
 * Query expansion with the word vectors: each content word of the question that the corpus never
 * uses brings its nearest GloVe neighbours that it does use ("frontier" → border, "atomic" → nuclear).
 * Names and numbers are never expanded: a neighbour of "Armenia" is another country.
 */
export class QueryExpander {
  private readonly cache = new Map<string, string[]>();
  private readonly opts: Required<ExpansionOptions>;

  constructor(
    private readonly glove: GloveEmbeddings,
    private readonly lexical: LexicalIndex,
    opts: ExpansionOptions = {},
  ) {
    this.opts = { perWord: 3, minSimilarity: 0.65, candidateRank: 60000, ...opts };
  }

  /** Expansion terms for a question (never its own words or their stems). */
  expand(question: string): string[] {
    const own = new Set(
      wordTokens(question)
        .map(lexicalTerm)
        .filter((t): t is string => t !== null),
    );
    const common = new Set(question.match(/(?<![\p{L}\p{N}])\p{Ll}[\p{Ll}'’-]*/gu) ?? []);
    const out = new Set<string>();
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
    const stems = new Set([lexicalTerm(word)]);
    const result = this.glove.nearest(word, {
      k: this.opts.perWord,
      minSimilarity: this.opts.minSimilarity,
      minRank: COMMON_WORDS,
      maxRank: this.opts.candidateRank,
      // Every surface form counts ("restored" is close to "rebuilt" where "restore" is not), once per stem.
      accept: (w) => {
        const t = lexicalTerm(w);
        if (t === null || STOP_WORDS.has(w) || !/^[a-z][a-z-]+$/.test(w) || stems.has(t) || this.lexical.documentFrequency(w) === 0) return false;
        stems.add(t);
        return true;
      },
    });
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }
}
