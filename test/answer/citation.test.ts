import { describe, expect, it } from "vitest";
import type { Article } from "../../src/corpus/article.js";
import { cite, quotePlace } from "../../src/answer/citation.js";

const article: Article = {
  id: "harbour-reopens",
  title: "Harbour reopens",
  publisher: "Coast Daily",
  author: "",
  published: "2025-03-01",
  url: "https://example.org/harbour",
  file: "harbour-reopens.md",
  hash: "",
  body: "The harbour reopened on Monday. Ferries will resume next week, the port authority said.",
};

describe("building a citation", () => {
  it("quotes the article body verbatim at the given offsets, credits the source and links to the quote", () => {
    const start = article.body.indexOf("Ferries");
    const end = article.body.indexOf(", the port");
    const c = cite(2, "the port authority", article, "harbour-reopens#p1", { start, end });
    expect(c).toMatchObject({
      n: 2,
      source: "the port authority",
      quote: "Ferries will resume next week",
      articleId: "harbour-reopens",
      passageId: "harbour-reopens#p1",
      start,
      end,
      title: "Harbour reopens",
      publisher: "Coast Daily",
      published: "2025-03-01",
    });
    expect(c.quote).toBe(article.body.slice(c.start, c.end));
    expect(c.link).toMatch(/^https:\/\/example\.org\/harbour#:~:text=/);
  });

  it("gives /verify the same place for a span as a citation has", () => {
    const c = cite(1, "Coast Daily", article, "harbour-reopens#p1", { start: 4, end: 11 });
    expect(quotePlace(article, "harbour-reopens#p1", { start: 4, end: 11 })).toEqual({
      articleId: c.articleId,
      passageId: c.passageId,
      start: c.start,
      end: c.end,
      title: c.title,
      published: c.published,
      url: c.url,
    });
  });
});
