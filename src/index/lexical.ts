import { titleRepeatsOpening } from "../corpus/title.js";
import type Database from "better-sqlite3";
import { lexicalTerm, lexicalTokens, splitWords } from "../text/terms.js";
import { forEachPosting } from "./postings.js";

/** What the lexical index stores of a passage. */
export interface LexicalDoc {
  id: string;
  text: string;
  title: string;
}

/** Words whose FTS5 token is remembered: a corpus has far fewer distinct words. */
const TERM_CACHE = 200_000;
/** Words' FTS5 tokens (`ftsToken` of `lexicalTerm`; null for a stop word), remembered as terms are. */
const ftsTermCache = new Map<string, string | null>();

/** A text's terms as the FTS table stores them: `lexicalTokens`' terms through `ftsToken`, space-joined. */
function ftsTerms(text: string): string {
  let out = "";
  for (const word of splitWords(text)) {
    let f = ftsTermCache.get(word);
    if (f === undefined) {
      const t = lexicalTerm(word);
      f = t === null ? null : ftsToken(t);
      if (ftsTermCache.size >= TERM_CACHE) ftsTermCache.clear();
      ftsTermCache.set(word, f);
    }
    if (f !== null) out = out ? `${out} ${f}` : f;
  }
  return out;
}

/** Options of one lexical search. */
export interface LexicalSearchOptions {
  /** Query-expansion words (`search`) or terms (`searchTerms`); they count at `extraWeight`. Default none. */
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
/** Long posting lists kept in memory (their stored bytes), MiB per open index (`LEXICAL_CACHE_MB`). */
const POSTINGS_CACHE_MB = 32;
/** Only lists this long (bytes) are kept: shorter ones are read quickly enough, and would churn the cache. */
const POSTINGS_CACHED_FROM = 2048;
/** BM25's parameters, as FTS5's `bm25()` has them. */
const K1 = 1.2;
const B = 0.75;
/** Column weights: a title word counts 0.3 of a text word (FTS5 `bm25(1.0, 0.3)`). */
const TITLE_WEIGHT = 0.3;

/**
 * BM25 over passages stored in SQLite FTS5 (text 1, title 0.3, k1 1.2, b 0.75: FTS5's own `bm25()`
 * formula). The table holds the terms of the project's one tokenizer (`lexicalTokens`), space-joined,
 * so documents and queries are normalised the same way whatever that tokenizer does.
 *
 * Scores are computed here from each query term's posting list (`postings.ts`, written by the build
 * from the same terms), its live passage count and each passage's length in terms (`lengths`):
 * `bm25()` looked every matching row's size up in FTS5's docsize table, which was most of an `ask`.
 * Long posting lists are kept in memory once read, within `cacheMb` (`LEXICAL_CACHE_MB`).
 */
export class LexicalIndex {
  private readonly dfCache = new Map<string, number>();
  /** Recently walked long posting lists, least recently used first; `cachedBytes` their size, `cacheBytes` its bound. */
  private readonly postingCache = new Map<string, Uint8Array[]>();
  private cachedBytes = 0;
  private readonly cacheBytes: number;
  private readonly dfStmt: Database.Statement<[string], number>;
  private readonly idStmt: Database.Statement<[number], string>;
  private readonly termStmt: Database.Statement<[string, number], number>;
  private readonly listStmt: Database.Statement<[string], Uint8Array>;
  /** Terms per passage (text and title), by label; 0 for a label with no live passage. */
  private readonly lengths: Uint32Array;
  /** Scratch, by label, kept at zero between searches: one query's scores. */
  private readonly score: Float64Array;
  private readonly avgLength: number;
  readonly documentCount: number;

  constructor(
    db: Database.Database,
    /** `passages`: live passages, as the build's manifest counts them (a count(*) walked the whole table on opening). */
    opts: { passages: number; cacheMb?: number | undefined },
  ) {
    this.cacheBytes = (opts.cacheMb ?? POSTINGS_CACHE_MB) * 2 ** 20;
    this.dfStmt = db.prepare<[string], number>("SELECT docs FROM term_docs WHERE term = ?").pluck();
    this.idStmt = db.prepare<[number], string>("SELECT id FROM passages WHERE label = ?").pluck();
    this.termStmt = db.prepare<[string, number], number>("SELECT rowid FROM passage_terms WHERE passage_terms MATCH ? AND rowid = ?").pluck();
    this.listStmt = db.prepare<[string], Uint8Array>("SELECT list FROM postings WHERE term = ? ORDER BY first").pluck();
    this.documentCount = opts.passages;
    this.lengths = readLengths(db);
    this.score = new Float64Array(this.lengths.length);
    let total = 0;
    for (const n of this.lengths) total += n;
    this.avgLength = total / Math.max(this.documentCount, 1);
  }

  /**
   * The title terms of an article's passages: none when the title only repeats the opening of the
   * body (a title made from the first sentence), whose words the first passage already has.
   */
  static titleRow(title: string, body: string): string {
    return titleRepeatsOpening(title, body) ? "" : LexicalIndex.row("", title).title;
  }

  /** The row to index for a passage: its text's and its article title's terms. */
  static row(text: string, title: string): { text: string; title: string } {
    return { text: ftsTerms(text), title: ftsTerms(title) };
  }

  /** Search with the words of a text (`extra`, if any, as words). Passage ids with BM25 scores, best first. */
  search(query: string, opts: LexicalSearchOptions): Array<{ id: string; score: number; terms: string[] }> {
    const extra = (opts.extra ?? []).map(lexicalTerm).filter((t): t is string => t !== null);
    return this.searchTerms(
      lexicalTokens(query.trim()).map(([, t]) => t),
      { ...opts, extra },
    );
  }

  /**
   * Search with terms already normalised (a `Query`'s terms, `lexicalTerm` of each word); `extra` terms,
   * normalised too, count at `extraWeight`. Passage ids with BM25 scores, best first.
   */
  searchTerms(terms: Iterable<string>, opts: LexicalSearchOptions): Array<{ id: string; score: number; terms: string[] }> {
    const extraTerms = new Set(opts.extra ?? []);
    const baseTerms = new Set(terms);
    for (const t of baseTerms) extraTerms.delete(t);
    if (baseTerms.size === 0 && extraTerms.size === 0) return [];
    // Like Lucene's max-doc-freq cutoff: a term in a large share of passages barely moves BM25 but
    // costs a walk over its whole posting list. Keep at least the two rarest terms.
    const cutoff = Math.max(50, this.documentCount * (opts.maxDfShare ?? 0.02));
    const byRarity = [...new Set([...baseTerms, ...extraTerms])]
      .map((t) => [t, this.postings(t)] as const)
      .filter(([, df]) => df > 0)
      .sort((a, b) => a[1] - b[1]);
    const kept = new Set(byRarity.filter(([, df], i) => i < 2 || df <= cutoff).map(([t]) => t));
    const base = [...baseTerms].filter((t) => kept.has(t));
    const extra = [...extraTerms].filter((t) => kept.has(t));
    const pool = opts.filter ? Infinity : opts.limit;
    const scores = new Map<number, number>();
    // The expansion terms are a query of their own, whose best scores count at extraWeight.
    for (const [terms, weight] of [
      [base, 1],
      [extra, opts.extraWeight ?? 0.4],
    ] as const) {
      if (terms.length === 0) continue;
      for (const [label, score] of this.bm25(terms, pool)) scores.set(label, (scores.get(label) ?? 0) + weight * score);
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const out: Array<{ id: string; score: number; terms: string[] }> = [];
    const keptTerms = [...kept];
    for (const [label, score] of ranked) {
      const id = this.idStmt.get(label);
      if (id === undefined || (opts.filter && !opts.filter(id))) continue;
      // Which query terms the passage holds costs a posting-list walk per term: only when asked for.
      let terms: string[] | undefined;
      const matched = () => (terms ??= keptTerms.filter((t) => this.termStmt.get(`"${ftsToken(t)}"`, label) !== undefined));
      out.push({
        id,
        score,
        get terms() {
          return matched();
        },
      });
      if (out.length >= opts.limit) break;
    }
    return out;
  }

  /**
   * BM25 of every passage holding one of `terms` (OR), summed over the terms in order, as FTS5's
   * `bm25()` computes it: idf = ln((N − n + 0.5) / (n + 0.5)) (at least 1e-6), term frequency with
   * the title's occurrences at 0.3, length normalised by the mean length. The `limit` best
   * `[label, score]` pairs (all with Infinity).
   */
  private bm25(terms: string[], limit: number): Array<[number, number]> {
    const { score, lengths, avgLength } = this;
    const n = this.documentCount;
    const touched: number[] = [];
    for (const term of terms) {
      const docs = this.postings(term);
      if (docs === 0) continue;
      let idf = Math.log((n - docs + 0.5) / (docs + 0.5));
      if (idf <= 0) idf = 1e-6;
      for (const list of this.lists(term)) {
        forEachPosting(list, (label, text, title) => {
          // A passage that is gone has no length: its entries stay until the lists are vacuumed.
          const length = lengths[label]!;
          if (!(length > 0)) return;
          const f = text + TITLE_WEIGHT * title;
          if (score[label] === 0) touched.push(label);
          score[label]! += (idf * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * length) / avgLength));
        });
      }
    }
    const out = best(touched, score, limit).map((doc): [number, number] => [doc, score[doc]!]);
    for (const doc of touched) score[doc] = 0;
    return out;
  }

  /**
   * A term's posting list, as its stored chunks. A long list is kept for the next search that walks
   * it, within the cache's bound (`LEXICAL_CACHE_MB`): questions keep coming back to a corpus's common
   * words.
   */
  private lists(term: string): Uint8Array[] {
    const hit = this.postingCache.get(term);
    if (hit) {
      this.postingCache.delete(term);
      this.postingCache.set(term, hit);
      return hit;
    }
    const lists = this.listStmt.all(ftsToken(term));
    let bytes = 0;
    for (const l of lists) bytes += l.byteLength;
    // One list may take a quarter of the cache at most, so that a few common words cannot flush it.
    if (bytes < POSTINGS_CACHED_FROM || bytes > this.cacheBytes / 4) return lists;
    this.postingCache.set(term, lists);
    this.cachedBytes += bytes;
    for (const [t, l] of this.postingCache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.postingCache.delete(t);
      for (const c of l) this.cachedBytes -= c.byteLength;
    }
    return lists;
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
}

/** The `limit` labels of `labels` with the best `score` (all of them when `limit` is Infinity), ties by label. */
function best(labels: number[], score: Float64Array, limit: number): number[] {
  if (labels.length <= limit) return labels;
  // A bounded min-heap of labels keeps this linear in the candidates rather than a full sort.
  const heap: number[] = [];
  const worse = (a: number, b: number) => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const e of labels) {
    if (heap.length < limit) {
      heap.push(e);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (worse(heap[0]!, e)) {
      heap[0] = e;
      down(0);
    }
  }
  return heap;
}

/** Terms per passage by label, as the build wrote them (`writeLengths`). */
export function readLengths(db: Database.Database): Uint32Array {
  const blob = db.prepare("SELECT lengths FROM lexical_lengths WHERE id = 0").pluck().get() as Buffer | undefined;
  if (!blob) return new Uint32Array(0);
  // Copied: a Buffer from SQLite need not be aligned for a Uint32Array view.
  const out = new Uint32Array(blob.length >> 2);
  Buffer.from(out.buffer).set(blob);
  return out;
}

export function writeLengths(db: Database.Database, lengths: Uint32Array): void {
  db.prepare("INSERT INTO lexical_lengths(id, lengths) VALUES (0, ?) ON CONFLICT(id) DO UPDATE SET lengths = excluded.lengths").run(
    Buffer.from(lengths.buffer, lengths.byteOffset, lengths.byteLength),
  );
}

/** How many FTS5 tokens a row of `LexicalIndex.row` holds (its terms are space-joined, one token each). */
export function termCount(terms: string): number {
  let n = 0;
  for (const w of terms.split(" ")) if (w) n += 1;
  return n;
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
