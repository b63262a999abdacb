import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document, type DocumentInterface } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import type { SearchFilters } from "../retrieval/filters.js";
import type { RetrievalVariant, ScoredPassage, SearchOptions } from "../retrieval/hybrid.js";
import type { AnswerService } from "./answer-service.js";

/** What a retrieved passage carries besides its text: enough to cite it (rule 7: citations are data). */
export type NewsMetadata = {
  articleId: string;
  /** `<articleId>#p<n>`; also the document's `id`. */
  passageId: string;
  /** Offsets of `pageContent` in the article body: `body.slice(start, end) === pageContent`. */
  start: number;
  end: number;
  /** The article's headline, publisher, ISO date and link; empty when the article does not give them. */
  title: string;
  publisher: string;
  published: string;
  url: string;
  /** Fused retrieval score; higher is better (documents come best first). */
  score: number;
};

/** A passage of the corpus as a LangChain document. */
export type NewsDocument = DocumentInterface<NewsMetadata>;

export interface NewsRetrieverInput extends BaseRetrieverInput {
  /** The open service whose index is searched; the retriever does not close it. */
  service: Pick<AnswerService, "search">;
  /** Passages per query. Default RETRIEVAL_K. */
  k?: number;
  /** Only passages of these articles, publishers (any case) or dates (`from`/`to`, by day). Default none. */
  filters?: SearchFilters;
  /** Which searches run: `lexical`, `vector`, `hybrid` or `hybrid+expansion`. Default as configured by QUERY_EXPANSION. */
  variant?: RetrievalVariant;
}

/**
 * The bot's hybrid search (BM25 and HNSW fused by reciprocal rank, capped per article, the search
 * `AnswerService.search` runs for every question) as a LangChain retriever: `invoke`, `pipe` and every
 * chain that takes a retriever. Each document is one passage, verbatim, with what a citation needs in
 * its metadata. It searches whichever build the service is serving, so it follows rebuilds.
 */
export class NewsRetriever extends BaseRetriever<NewsMetadata> {
  lc_namespace = ["news_cite_bot", "retrievers"];

  static override lc_name(): string {
    return "NewsRetriever";
  }

  private readonly service: NewsRetrieverInput["service"];
  private readonly options: SearchOptions;

  constructor(fields: NewsRetrieverInput) {
    super(fields);
    this.service = fields.service;
    this.options = { k: fields.k, filters: fields.filters, variant: fields.variant };
  }

  override async _getRelevantDocuments(query: string, _runManager?: CallbackManagerForRetrieverRun): Promise<NewsDocument[]> {
    return (await this.service.search(query, this.options)).map(toDocument);
  }
}

function toDocument({ passage, article, score }: ScoredPassage): NewsDocument {
  return new Document<NewsMetadata>({
    id: passage.id,
    pageContent: passage.text,
    metadata: {
      articleId: article.id,
      passageId: passage.id,
      start: passage.start,
      end: passage.end,
      title: article.title,
      publisher: article.publisher,
      published: article.published,
      url: article.url,
      score,
    },
  });
}
