/** A sentence inside a passage; offsets index the article body. */
export interface Sentence {
  /** `<articleId>#p<n>.s<m>`, both 1-based. */
  id: string;
  start: number;
  end: number;
  text: string;
}

export type PassageKind = "paragraph" | "heading" | "caption";

/** A paragraph of an article: the unit both indexes store. */
export interface Passage {
  /** `<articleId>#p<n>`, n 1-based in body order. */
  id: string;
  articleId: string;
  n: number;
  kind: PassageKind;
  /** Offsets of `text` in the article body (markers such as `## ` excluded). */
  start: number;
  end: number;
  text: string;
  sentences: Sentence[];
}
