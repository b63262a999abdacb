import { describe, expect, it } from "vitest";
import type { ImportedArticle } from "../../src/import/source.js";
import { SLUG_MAX_CHARS, articleId, prepareArticle, slugify, toMarkdown } from "../../src/import/write.js";

const article = (over: Partial<ImportedArticle>): ImportedArticle => ({
  source: "in/harbour-lights.txt",
  title: "",
  publisher: "",
  url: "",
  published: "",
  author: "",
  body: "The lights came back on. Crews worked all weekend.",
  notes: [],
  ...over,
});

describe("preparing and naming an imported article", () => {
  it("makes ids of at most 50 characters, cut between words and not on a little word", () => {
    const id = slugify("Volunteer lifeboat crew from Saltmarsh rescues four kayakers lost in thick fog off the point");
    expect(id.length).toBeLessThanOrEqual(SLUG_MAX_CHARS);
    expect(id).toBe("volunteer-lifeboat-crew-from-saltmarsh-rescues");
    expect(slugify("Valley library lends out a book-sorting robot to schools in the district")).toBe("valley-library-lends-out-a-book-sorting-robot");
    expect(slugify("Short title")).toBe("short-title");
  });

  it("gives an untitled article its first sentence as title, marked as derived, and names it by its file", () => {
    const prepared = prepareArticle(article({}));
    expect(prepared.article.title).toBe("The lights came back on");
    expect(prepared.titleDerived).toBe(true);
    expect(prepared.notes).toContain("no title given: took the first sentence");
    expect(articleId(prepared.article, prepared.titleDerived)).toBe("harbour-lights");
    expect(toMarkdown(prepared.article, "harbour-lights", true)).toMatch(/^title: The lights came back on\ntitle_derived: true$/m);
  });

  it("repairs mojibake and reports words that lost letters, leaving them as the source has them", () => {
    const prepared = prepareArticle(article({ title: "CafÃ© reopens", body: "The cafÃ© on Ye?il Street reopened." }));
    expect(prepared.article.title).toBe("Café reopens");
    expect(prepared.article.body).toBe("The café on Ye?il Street reopened.");
    expect(prepared.titleDerived).toBe(false);
    expect(prepared.notes.join("\n")).toMatch(/repaired mojibake.*Ã© → é/);
    expect(prepared.notes.join("\n")).toMatch(/1 word\(s\) have "\?" where letters belong.*Ye\?il/);
  });
});
