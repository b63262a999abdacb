import type { Article } from "../corpus/article.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import type { IndexData } from "../index/store.js";
import type { QueryExpander } from "../retrieval/expand.js";
import type { Answer, Citation, RelatedPassage } from "./answer.js";
import type { AnswerContext, Answerer } from "./answerer.js";
import type { Attribution } from "./attribution.js";
import { evidenceScore, modelQuery, stemsOf } from "./evidence.js";
import { articleSource, citationLine } from "./format.js";
import { withDeepLink } from "./fragment.js";

export interface ExtractiveOptions {
  /** Abstain when the best span scores under this (0–1). */
  threshold: number;
  /** Most quotes in one answer. */
  maxCitations: number;
}

interface Candidate {
  score: number;
  article: Article;
  passageId: string;
  attribution: Attribution;
}

/** Passages of this many articles keep their attributions cached. */
const ATTRIBUTION_CACHE = 2000;

export const ABSTAIN_TEXT = "I couldn't find an answer to that in the articles I have.";

/**
 * The default answerer: no LLM. It scores every sentence of the retrieved passages against the
 * question, abstains under a calibrated threshold, and quotes the best spans verbatim with the source
 * the article names.
 */
export function createExtractiveAnswerer(
  deps: { index: IndexData; embedder: PassageEmbedder; expander: QueryExpander | undefined },
  opts: ExtractiveOptions,
): Answerer {
  const attributions = new Map<string, Map<string, Attribution>>();
  const attributionsOf = (articleId: string) => {
    let a = attributions.get(articleId);
    if (!a) {
      // Computed at index time (attributeArticle over the whole article) and read from the store.
      a = deps.index.attributionsOf(articleId);
      if (attributions.size >= ATTRIBUTION_CACHE) attributions.delete(attributions.keys().next().value!);
      attributions.set(articleId, a);
    }
    return a;
  };

  return {
    name: "extractive",
    async answer(ctx: AnswerContext): Promise<Omit<Answer, "timings">> {
      const q = modelQuery(ctx.question, deps.index.lexical, deps.expander, deps.embedder);
      const candidates: Candidate[] = [];
      for (const { passage } of ctx.passages) {
        if (passage.kind === "heading") continue;
        const article = ctx.article(passage.articleId);
        if (!article) continue;
        const attrs = attributionsOf(article.id);
        const context = stemsOf(`${passage.text} ${article.title}`);
        for (const s of passage.sentences) {
          const attribution = attrs.get(s.id);
          if (!attribution || attribution.end <= attribution.start) continue;
          const score = evidenceScore(q, { span: stemsOf(s.text), context, text: s.text, source: attribution.source, vector: deps.embedder.glove?.embedText(s.text) });
          candidates.push({ score, article, passageId: passage.id, attribution });
        }
      }
      candidates.sort((a, b) => b.score - a.score);
      const best = candidates[0];
      const confidence = round(best?.score ?? 0);
      if (!best || best.score < opts.threshold || q.terms.length === 0) {
        return { question: ctx.question, answered: false, answer: ABSTAIN_TEXT, citations: [], related: related(ctx), confidence };
      }

      const chosen: Candidate[] = [best];
      const spans = new Set([`${best.article.id}:${best.attribution.start}`]);
      for (const c of candidates.slice(1)) {
        if (chosen.length >= opts.maxCitations) break;
        const otherArticle = !chosen.some((x) => x.article.id === c.article.id);
        const floor = Math.max(opts.threshold, best.score * (otherArticle ? 0.7 : 0.8));
        const key = `${c.article.id}:${c.attribution.start}`;
        if (c.score < floor || spans.has(key)) continue;
        spans.add(key);
        chosen.push(c);
      }
      const citations: Citation[] = chosen.map((c, i) => withDeepLink({
        n: i + 1,
        source: c.attribution.source ?? articleSource(c.article),
        quote: c.article.body.slice(c.attribution.start, c.attribution.end),
        articleId: c.article.id,
        passageId: c.passageId,
        start: c.attribution.start,
        end: c.attribution.end,
        title: c.article.title,
        publisher: c.article.publisher,
        published: c.article.published,
        url: c.article.url,
      }, c.article.body));
      const answer = citations.map((c, i) => citationLine(c, chosen[i]!.attribution.quoted)).join("\n");
      return { question: ctx.question, answered: true, answer, citations, related: [], confidence };
    },
  };
}

function related(ctx: AnswerContext): RelatedPassage[] {
  return ctx.passages
    .filter((p) => p.passage.kind !== "heading")
    .slice(0, 3)
    .map((p) => ({ passageId: p.passage.id, articleId: p.article.id, title: p.article.title, text: p.passage.text, score: round(p.score) }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
