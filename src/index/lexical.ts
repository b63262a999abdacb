import MiniSearch, { type SearchResult } from "minisearch";
import { stemmer } from "stemmer";
import { STOP_WORDS } from "../embeddings/tokenize.js";

/** What the lexical index stores of a passage. */
export interface LexicalDoc {
  id: string;
  text: string;
  title: string;
}

/** Normalise a term the same way for documents and queries: lowercase, `’` → `'`, stemmed, stop words out. */
export function lexicalTerm(term: string): string | null {
  let t = term.toLowerCase().replace(/’/g, "'");
  if (t.endsWith("'s")) t = t.slice(0, -2);
  t = t.replace(/^'+|'+$/g, "");
  if (!t || STOP_WORDS.has(t)) return null;
  return stemmer(t);
}

const tokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];

/** A text's words as the lexical index sees them: `[word, normalised term]`, stop words dropped. */
export function lexicalTokens(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const word of tokenize(text)) {
    const t = lexicalTerm(word);
    if (t !== null) out.push([word.toLowerCase(), t]);
  }
  return out;
}

const OPTIONS = {
  fields: ["text", "title"],
  storeFields: [] as string[],
  processTerm: lexicalTerm,
  searchOptions: { boost: { text: 1, title: 0.3 }, combineWith: "OR" as const },
};

/** BM25 (MiniSearch's BM25+) over passages. */
export class LexicalIndex {
  private constructor(private readonly mini: MiniSearch<LexicalDoc>) {}

  static create(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<LexicalDoc>(OPTIONS));
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<LexicalDoc>(json, OPTIONS));
  }

  get size(): number {
    return this.mini.documentCount;
  }

  add(docs: LexicalDoc[]): void {
    this.mini.addAll(docs);
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) if (this.mini.has(id)) this.mini.discard(id);
  }

  /**
   * Search with the question's words; `extra` terms (query expansion) count at `extraWeight`.
   * Returns passage ids with BM25 scores, best first.
   */
  search(
    query: string,
    opts: { extra?: string[]; extraWeight?: number; filter?: (id: string) => boolean; limit: number; maxDfShare?: number },
  ): Array<{ id: string; score: number; terms: string[] }> {
    const extra = opts.extra ?? [];
    const base = query.trim();
    if (!base && extra.length === 0) return [];
    const extraTerms = new Set(extra.map(lexicalTerm).filter((t): t is string => t !== null));
    const baseTerms = new Set(lexicalTokens(base).map(([, t]) => t));
    // Like Lucene's max-doc-freq cutoff: a term in a large share of passages barely moves BM25 but
    // costs a walk over its whole posting list. Keep at least the two rarest terms.
    const terms = [...new Set([...baseTerms, ...extraTerms])];
    const cutoff = Math.max(50, this.mini.documentCount * (opts.maxDfShare ?? 0.05));
    const byRarity = terms.map((t) => [t, this.postings(t)] as const).sort((a, b) => a[1] - b[1]);
    const kept = byRarity.filter(([, df], i) => i < 2 || df <= cutoff).map(([t]) => t);
    if (kept.length === 0) return [];
    const results: SearchResult[] = this.mini.search({ queries: kept, combineWith: "OR" }, {
      processTerm: (t: string) => t,
      boostTerm: (term: string) => (extraTerms.has(term) && !baseTerms.has(term) ? (opts.extraWeight ?? 0.4) : 1),
      ...(opts.filter ? { filter: (r: SearchResult) => opts.filter!(String(r.id)) } : {}),
    });
    return results.slice(0, opts.limit).map((r) => ({ id: String(r.id), score: r.score, terms: r.terms }));
  }

  /**
   * Passages containing a term (0 when the corpus never uses it): keeps query expansions that can
   * match and weighs evidence. MiniSearch has no public posting-list lookup, so this reads its term
   * map (field id → document → frequency); pinned to MiniSearch 7's layout.
   */
  documentFrequency(term: string): number {
    const t = lexicalTerm(term);
    return t === null ? 0 : this.postings(t);
  }

  /** Passages containing an already normalised term. */
  private postings(t: string): number {
    const entry = (this.mini as unknown as { _index: { get(k: string): Map<number, Map<number, number>> | undefined } })._index.get(t);
    if (!entry) return 0;
    let n = 0;
    for (const docs of entry.values()) n = Math.max(n, docs.size);
    return n;
  }

  get documentCount(): number {
    return this.mini.documentCount;
  }

  toJSON(): string {
    return JSON.stringify(this.mini);
  }
}
