import type { IndexData } from "../index/store.js";
import type { Query } from "./query.js";
import { activeFilters, articleMatches, type SearchFilters } from "./filters.js";
import type { Passage } from "../passages/passage.js";
import type { ArticleMeta } from "../corpus/article.js";

export interface RetrieveOptions {
  k: number;
  /** At most this many passages from one article. */
  perArticle: number;
  variant: RetrievalVariant;
  filters?: SearchFilters | undefined;
  /** BM25 skips query terms in more than this share of passages. */
  maxDfShare?: number;
  /** Passages and articles a follow-up favours (see PREFER_PASSAGE, PREFER_ARTICLE). */
  prefer?: PreferOptions | undefined;
}

/** Reciprocal-rank-fusion constant (Cormack et al. 2009). */
const RRF_K = 60;
/** GloVe averages are a weaker signal than BM25 on news text (see `npm run eval`): they count half. */
const VECTOR_WEIGHT = 0.5;
/** Weight of each passage beyond the per-article cap, compounding. */
const DIVERSITY_DECAY = 0.8;
/**
 * A passage the conversation already cited gains what a first place in a list of this weight gives,
 * and is considered even if this query missed it: enough to win a near tie, not to beat a clearly
 * better passage. On the two-article conversation set (`npm run eval:conversations`) it changes no
 * answer, since every passage that matters is retrieved anyway; it is for large corpora.
 */
const PREFER_PASSAGE = 0.5;
/** A retrieved passage from an article the conversation cited gains this much (same units). */
const PREFER_ARTICLE = 0.25;

/**
 * Hybrid retrieval: BM25 and HNSW results fused by reciprocal rank, then capped per article so one
 * article cannot crowd out the rest. Query expansion adds the query's GloVe neighbours to the lexical query.
 */
export function retrieve(index: IndexData, query: Query, opts: RetrieveOptions): ScoredPassage[] {
  const filter = makeFilter(index, opts.filters);
  const pool = Math.max(50, opts.k * 6);
  const lists: Array<{ ids: string[]; weight: number }> = [];

  if (opts.variant !== "vector") {
    const extra = opts.variant === "hybrid+expansion" ? query.expansions : [];
    const hits = index.lexical.searchTerms(query.terms, {
      extra,
      limit: pool,
      ...(opts.maxDfShare ? { maxDfShare: opts.maxDfShare } : {}),
      ...(filter ? { filter } : {}),
    });
    lists.push({ ids: hits.map((h) => h.id), weight: 1 });
  }
  if (opts.variant !== "lexical") {
    const { vector } = query;
    if (vector.some((x) => x !== 0)) {
      const hits = index.vector.search(vector, pool, filter);
      lists.push({ ids: hits.map((h) => h.id), weight: VECTOR_WEIGHT });
    }
  }

  const fused = new Map<string, number>();
  for (const { ids, weight } of lists) {
    ids.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + weight / (RRF_K + rank + 1)));
  }
  addPreference(fused, opts.prefer, filter);
  const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1]);
  // Diversity: past `perArticle` passages from one article, each further one counts for less, so a
  // crowd from one article gives way to comparably relevant passages from others.
  const perArticle = new Map<string, number>();
  const diversified = ranked.map(([id, score]): [string, number] => {
    const articleId = id.slice(0, id.lastIndexOf("#p"));
    const seen = perArticle.get(articleId) ?? 0;
    perArticle.set(articleId, seen + 1);
    return [id, seen < opts.perArticle ? score : score * DIVERSITY_DECAY ** (seen - opts.perArticle + 1)];
  });
  diversified.sort((x, y) => y[1] - x[1]);
  const out: ScoredPassage[] = [];
  for (const [id, score] of diversified.slice(0, opts.k)) {
    const passage = index.passage(id);
    if (!passage) continue;
    const article = index.articleMeta(passage.articleId)!;
    out.push({ passage, article, score });
  }
  return out;
}

/** Follow-ups: a small additive boost for passages already cited and for their articles. */
function addPreference(fused: Map<string, number>, prefer: PreferOptions | undefined, filter: ((id: string) => boolean) | undefined): void {
  if (!prefer) return;
  const articles = new Set(prefer.articleIds ?? []);
  if (articles.size) for (const [id, score] of fused) if (articles.has(id.slice(0, id.lastIndexOf("#p")))) fused.set(id, score + PREFER_ARTICLE / (RRF_K + 1));
  for (const id of new Set(prefer.passageIds ?? [])) if (!filter || filter(id)) fused.set(id, (fused.get(id) ?? 0) + PREFER_PASSAGE / (RRF_K + 1));
}

function makeFilter(index: IndexData, filters: SearchFilters | undefined): ((passageId: string) => boolean) | undefined {
  const active = activeFilters(filters);
  if (!active) return undefined;
  return (passageId) => {
    const a = index.articleMeta(passageId.slice(0, passageId.lastIndexOf("#p")));
    return a !== undefined && articleMatches(a, active);
  };
}

/** Which retrievers run: used by the evaluation to compare variants in one run. */
export type RetrievalVariant = "lexical" | "vector" | "hybrid" | "hybrid+expansion";

export interface SearchOptions {
  /** Passages to return. Default RETRIEVAL_K. */
  k?: number;
  filters?: SearchFilters;
  /** Default `hybrid+expansion` when QUERY_EXPANSION is on, `hybrid` otherwise. */
  variant?: RetrievalVariant;
  /**
   * Passages and articles to favour a little (a follow-up prefers what the conversation already cited),
   * while every other passage is still searched. Default none.
   */
  prefer?: PreferOptions;
}

/** What a follow-up prefers: the passages earlier answers cited, and their articles. */
export interface PreferOptions {
  passageIds?: string[];
  articleIds?: string[];
}

export interface ScoredPassage {
  passage: Passage;
  article: ArticleMeta;
  /** Fused score; higher is better. */
  score: number;
}
