import type { Article, ArticleMeta } from "../corpus/article.js";
import type { Citation } from "./answer.js";
import { withDeepLink } from "./fragment.js";

/** Where a quote stands in the corpus: its article and passage, offsets into the article body, and the article's title, date and URL. */
export interface QuotePlace {
  articleId: string;
  passageId: string;
  start: number;
  end: number;
  title: string;
  published: string;
  url: string;
}

/** The place of `article.body.slice(span.start, span.end)`, a span of passage `passageId` (what `/verify` shows of a verbatim match). */
export function quotePlace(
  article: Pick<ArticleMeta, "id" | "title" | "published" | "url">,
  passageId: string,
  span: { start: number; end: number },
): QuotePlace {
  return { articleId: article.id, passageId, start: span.start, end: span.end, title: article.title, published: article.published, url: article.url };
}

/**
 * The `n`th citation of an answer: `article.body.slice(span.start, span.end)` verbatim, credited to
 * `source`, with its place and, when the article has a URL, its deep link and selectors. Every answerer
 * builds its citations here, so `quote === article.body.slice(start, end)` holds for all of them.
 */
export function cite(n: number, source: string, article: Article, passageId: string, span: { start: number; end: number }): Citation {
  const place = quotePlace(article, passageId, span);
  return withDeepLink({ n, source, quote: article.body.slice(place.start, place.end), ...place, publisher: article.publisher }, article.body);
}
