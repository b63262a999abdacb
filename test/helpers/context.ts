import type { AnswerContext } from "../../src/answer/answerer.js";
import type { Article } from "../../src/corpus/article.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { articleFacts } from "../../src/index/facts.js";
import type { StoredCorpus } from "../../src/llm/verify.js";
import { attributeArticle } from "../../src/passages/attribution.js";
import type { Passage } from "../../src/passages/passage.js";
import { queryOf } from "../../src/retrieval/query.js";
import { splitArticle } from "../../src/passages/split.js";
import { REPO_CORPUS } from "./core.js";

/** The repo corpus split as the index splits it: articles and passages by id. */
export async function repoPassages(): Promise<{ articles: Map<string, Article>; passages: Map<string, Passage> }> {
  const corpus = await loadCorpus(REPO_CORPUS);
  return {
    articles: new Map(corpus.articles.map((a) => [a.id, a])),
    passages: new Map(corpus.articles.flatMap((a) => splitArticle(a)).map((p) => [p.id, p])),
  };
}

/** What retrieval would hand the answerer: these real passages, best first. */
export function contextOf(
  corpus: { articles: Map<string, Article>; passages: Map<string, Passage> },
  ids: string[],
  question = "When could the Armenia–Turkey border reopen?",
): AnswerContext {
  return {
    query: queryOf(question),
    passages: ids.map((id, i) => {
      const passage = corpus.passages.get(id)!;
      const { body: _body, ...meta } = corpus.articles.get(passage.articleId)!;
      return { passage, article: meta, score: 1 - i / 10 };
    }),
    article: (id) => corpus.articles.get(id),
  };
}

/** What a build of these articles stores of them (attributions, section headings), worked out as the build does, without one. */
export function storedCorpusOf(corpus: { articles: Map<string, Article>; passages: Map<string, Passage> }): StoredCorpus {
  const split = (id: string) => splitArticle(corpus.articles.get(id)!);
  return {
    attributionsOf: (articleId) => attributeArticle(split(articleId)),
    sectionHeading: (passage) => {
      const passages = split(passage.articleId);
      const at = passages.findIndex((p) => p.id === passage.id);
      const n = articleFacts(corpus.articles.get(passage.articleId)!, passages).passages[at]?.heading;
      return n === null || n === undefined ? undefined : corpus.passages.get(`${passage.articleId}#p${n}`);
    },
  };
}
