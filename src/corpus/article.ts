/** One news article as loaded from `corpus/`. `body` is the verbatim text every offset points into. */
export interface Article {
  /** Stable id from front matter (or the file name for `.txt`). */
  id: string;
  /** Headline; empty when the source text gives none. */
  title: string;
  /** True when `title` was made from the first sentence because the source gave none (front matter `title_derived`). */
  titleDerived?: boolean;
  /** Outlet that published the article; empty when the text does not say. */
  publisher: string;
  /** Link to the original; empty when unknown. */
  url: string;
  /** ISO date (`2025-11-29` or with time); empty when unknown. */
  published: string;
  author: string;
  /** Article text: paragraphs separated by blank lines; `## ` marks a heading, `Caption: ` a photo caption. */
  body: string;
  /** Path of the file relative to the corpus folder. */
  file: string;
  /** sha256 of the file's bytes: unchanged hash means no re-embedding. */
  hash: string;
}

/** What lists and references show of an article. */
export type ArticleMeta = Omit<Article, "body">;

/** A file that could not be loaded, and why. Other files still index. */
export interface CorpusProblem {
  file: string;
  problem: string;
}
