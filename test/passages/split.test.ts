import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { splitArticle } from "../../src/passages/split.js";
import { REPO_CORPUS } from "../helpers/core.js";

describe("splitting articles into passages", async () => {
  const { articles } = await loadCorpus(REPO_CORPUS);

  it("gives every paragraph and sentence offsets whose slice of the body is its text", () => {
    for (const a of articles) {
      for (const p of splitArticle(a)) {
        expect(a.body.slice(p.start, p.end)).toBe(p.text);
        for (const s of p.sentences) {
          expect(a.body.slice(s.start, s.end)).toBe(s.text);
          expect(s.start).toBeGreaterThanOrEqual(p.start);
          expect(s.end).toBeLessThanOrEqual(p.end);
        }
      }
    }
  });

  it("numbers passages <articleId>#p<n> in body order and sentences .s<m>", () => {
    const a = articles.find((x) => x.id === "pashinyan-putin-railways")!;
    const ps = splitArticle(a);
    expect(ps.map((p) => p.id).slice(0, 3)).toEqual(["pashinyan-putin-railways#p1", "pashinyan-putin-railways#p2", "pashinyan-putin-railways#p3"]);
    expect(ps[3]!.sentences.map((s) => s.id)).toEqual([1, 2, 3, 4].map((m) => `pashinyan-putin-railways#p4.s${m}`));
    const bloomberg = ps.find((p) => p.text.includes("Bloomberg"))!;
    expect(bloomberg.id).toBe("pashinyan-putin-railways#p13");
  });

  it("keeps markers out of headings and captions", () => {
    const a = articles.find((x) => x.id === "kars-gyumri-railway-talks")!;
    const ps = splitArticle(a);
    expect(ps[0]).toMatchObject({ kind: "caption" });
    expect(ps[0]!.text.startsWith("President Recep Tayyip Erdogan")).toBe(true);
    const heading = ps.find((p) => p.kind === "heading")!;
    expect(heading.text).toBe("Talks focus on restoring railway line");
  });

  it("does not break a sentence at a garbled character inside a word", () => {
    const a = articles.find((x) => x.id === "pashinyan-putin-railways")!;
    const p = splitArticle(a).find((x) => x.text.startsWith("Turkish media outlet"))!;
    expect(p.sentences).toHaveLength(2);
    expect(p.sentences[0]!.text).toContain("Ye?il I?d?r reported on Monday");
  });
});
