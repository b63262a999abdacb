import type Database from "better-sqlite3";
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import lemmatizer from "wink-lemmatizer";
import { STOP_WORDS } from "../embeddings/tokenize.js";
import { plainWord } from "../text/normalize.js";

/** What the lexical index stores of a passage. */
export interface LexicalDoc {
  id: string;
  text: string;
  title: string;
}

/** Words whose term is remembered: a corpus has far fewer distinct words, and stemming each again is most of tokenising. */
const TERM_CACHE = 200_000;
const terms = new Map<string, string | null>();

/**
 * Normalise a term the same way for documents and queries: lowercase, accents folded ("Türkiye" and
 * "Turkiye" meet), `’` → `'`, irregular verb forms to their base form, stemmed, stop words out.
 */
export function lexicalTerm(term: string): string | null {
  const hit = terms.get(term);
  if (hit !== undefined) return hit;
  const t = plainWord(term);
  const out = !t || STOP_WORDS.has(t) ? null : stemmer(baseForm(t));
  if (terms.size >= TERM_CACHE) terms.clear();
  terms.set(term, out);
  return out;
}

/**
 * Irregular verb forms to their base form with WordNet's exception lists (through wink-lemmatizer:
 * "met" → meet, "began" → begin, "built" → build), which the Porter stemmer leaves alone. Regular
 * forms ("approved") and words that are not verb forms ("news") are left to the stemmer.
 */
function baseForm(word: string): string {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
  const verb = lemmatizer.verb(word);
  return verb === word || stemmer(verb) === stemmer(word) ? word : verb;
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

/** Options of one lexical search. */
export interface LexicalSearchOptions {
  /** Query-expansion terms; they count at `extraWeight`. Default none. */
  extra?: string[];
  /** Weight of the expansion terms against the question's own. Default 0.4. */
  extraWeight?: number;
  /** Keep only passages this accepts. Default all. */
  filter?: (id: string) => boolean;
  /** Most results. */
  limit: number;
  /** Terms found in more than this share of passages are left out (the two rarest are always kept). Default 0.02. */
  maxDfShare?: number;
}

/** Document frequencies remembered per index (query expansion asks for many candidate words). */
const DF_CACHE = 50_000;

/**
 * BM25 over passages with SQLite FTS5 (`bm25()`, text 1, title 0.3). The table holds the terms of the
 * project's one tokenizer (`lexicalTokens`), space-joined, so documents and queries are normalised
 * the same way whatever that tokenizer does.
 */
export class LexicalIndex {
  private readonly dfCache = new Map<string, number>();
  private readonly dfStmt: Database.Statement<[string], number>;
  private readonly idStmt: Database.Statement<[number], string>;
  private readonly termStmt: Database.Statement<[string, number], number>;
  private readonly matchTop: Database.Statement<[string, number], { label: number; score: number }>;
  private readonly matchAll: Database.Statement<[string], { label: number; score: number }>;
  readonly documentCount: number;

  constructor(private readonly db: Database.Database) {
    this.dfStmt = db.prepare<[string], number>("SELECT doc FROM passage_vocab WHERE term = ?").pluck();
    this.idStmt = db.prepare<[number], string>("SELECT id FROM passages WHERE label = ?").pluck();
    this.termStmt = db.prepare<[string, number], number>("SELECT rowid FROM passage_terms WHERE passage_terms MATCH ? AND rowid = ?").pluck();
    const match = "SELECT rowid AS label, -rank AS score FROM passage_terms WHERE passage_terms MATCH ? ORDER BY rank";
    this.matchTop = db.prepare<[string, number], { label: number; score: number }>(`${match} LIMIT ?`);
    this.matchAll = db.prepare<[string], { label: number; score: number }>(match);
    this.documentCount = db.prepare("SELECT count(*) FROM passages").pluck().get() as number;
  }

  get size(): number {
    return this.documentCount;
  }

  /** The row to index for a passage: its text's and its article title's terms. */
  static row(text: string, title: string): { text: string; title: string } {
    const terms = (s: string) => lexicalTokens(s).map(([, t]) => ftsToken(t)).join(" ");
    return { text: terms(text), title: terms(title) };
  }

  /** Search with the question's words; `extra` terms count at `extraWeight`. Passage ids with BM25 scores, best first. */
  search(query: string, opts: LexicalSearchOptions): Array<{ id: string; score: number; terms: string[] }> {
    const extraTerms = new Set((opts.extra ?? []).map(lexicalTerm).filter((t): t is string => t !== null));
    const baseTerms = new Set(lexicalTokens(query.trim()).map(([, t]) => t));
    for (const t of baseTerms) extraTerms.delete(t);
    if (baseTerms.size === 0 && extraTerms.size === 0) return [];
    // Like Lucene's max-doc-freq cutoff: a term in a large share of passages barely moves BM25 but
    // costs a walk over its whole posting list. Keep at least the two rarest terms.
    const cutoff = Math.max(50, this.documentCount * (opts.maxDfShare ?? 0.02));
    const byRarity = [...new Set([...baseTerms, ...extraTerms])].map((t) => [t, this.postings(t)] as const).filter(([, df]) => df > 0).sort((a, b) => a[1] - b[1]);
    const kept = new Set(byRarity.filter(([, df], i) => i < 2 || df <= cutoff).map(([t]) => t));
    const base = [...baseTerms].filter((t) => kept.has(t));
    const extra = [...extraTerms].filter((t) => kept.has(t));
    const pool = opts.filter ? Infinity : opts.limit;
    const scores = new Map<number, { score: number }>();
    // FTS5 has no per-term boost: the expansion terms are a second query whose scores count at extraWeight.
    for (const [terms, weight] of [[base, 1], [extra, opts.extraWeight ?? 0.4]] as const) {
      if (terms.length === 0) continue;
      for (const hit of this.match(terms, pool)) {
        const s = scores.get(hit.label) ?? { score: 0 };
        s.score += weight * hit.score;
        scores.set(hit.label, s);
      }
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
    const out: Array<{ id: string; score: number; terms: string[] }> = [];
    const keptTerms = [...kept];
    for (const [label, s] of ranked) {
      const id = this.idStmt.get(label);
      if (id === undefined || (opts.filter && !opts.filter(id))) continue;
      // Which query terms the passage holds costs a posting-list walk per term: only when asked for.
      let terms: string[] | undefined;
      const matched = () => (terms ??= keptTerms.filter((t) => this.termStmt.get(`"${ftsToken(t)}"`, label) !== undefined));
      out.push({ id, score: s.score, get terms() { return matched(); } });
      if (out.length >= opts.limit) break;
    }
    return out;
  }

  /** Passages containing a term (0 when the corpus never uses it). */
  documentFrequency(term: string): number {
    const t = lexicalTerm(term);
    return t === null ? 0 : this.postings(t);
  }

  /** Passages containing an already normalised term. */
  private postings(t: string): number {
    let n = this.dfCache.get(t);
    if (n === undefined) {
      n = this.dfStmt.get(ftsToken(t)) ?? 0;
      if (this.dfCache.size >= DF_CACHE) this.dfCache.clear();
      this.dfCache.set(t, n);
    }
    return n;
  }

  private match(terms: string[], limit: number): Array<{ label: number; score: number }> {
    const expr = terms.map((t) => `"${ftsToken(t)}"`).join(" OR ");
    return Number.isFinite(limit) ? this.matchTop.all(expr, limit) : this.matchAll.all(expr);
  }

}

/**
 * A term as FTS5's unicode61 tokenizer keeps it whole: lowercase letters and digits pass as they are;
 * anything else (symbols, title-case letters) is spelled in hex behind a `zq` prefix, so every term
 * of the tokenizer stays exactly one FTS5 token.
 */
export function ftsToken(term: string): string {
  if (/^[\p{Ll}\p{Lo}\p{Nd}]+$/u.test(term)) return term;
  return `zq${Buffer.from(term, "utf8").toString("hex")}`;
}
