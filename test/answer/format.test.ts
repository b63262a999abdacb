import { describe, expect, it } from "vitest";
import type { Citation } from "../../src/answer/answer.js";
import { articleReference, referenceLine } from "../../src/answer/format.js";

describe("naming an article in a reference", () => {
  const known = { title: "Ferry adds dawn crossing", id: "ferry-dawn", publisher: "Harbour Ledger", published: "2025-03-15T07:45:00+01:00" };

  it("shows what is known and never says unknown", () => {
    expect(articleReference(known)).toBe("Ferry adds dawn crossing — Harbour Ledger, 2025-03-15");
    expect(articleReference({ ...known, published: "" })).toBe("Ferry adds dawn crossing — Harbour Ledger");
    expect(articleReference({ ...known, publisher: "" })).toBe("Ferry adds dawn crossing, 2025-03-15");
    expect(articleReference({ ...known, publisher: "", published: "" })).toBe("Ferry adds dawn crossing");
    expect(articleReference({ ...known, title: "", publisher: "", published: "" })).toBe("ferry-dawn");
  });

  it("escapes the text pieces only, and shows the time when asked", () => {
    expect(articleReference({ ...known, title: "A*B" }, { escape: (t) => t.replace(/\*/g, "\\*") })).toBe("A\\*B — Harbour Ledger, 2025-03-15");
    expect(articleReference(known, { time: true })).toBe("Ferry adds dawn crossing — Harbour Ledger, 2025-03-15T07:45:00+01:00");
  });

  it("does not put a full stop after a title that ends a sentence already", () => {
    const c = {
      n: 1,
      source: "the article",
      quote: "q",
      articleId: "a",
      passageId: "a#p1",
      start: 0,
      end: 1,
      title: "The ferry will run at…",
      publisher: "",
      published: "",
      url: "",
    } as Citation;
    expect(referenceLine(c)).toBe("[1] The ferry will run at… (passage a#p1, chars 0–1)");
    expect(referenceLine({ ...c, title: "Ferry" })).toBe("[1] Ferry. (passage a#p1, chars 0–1)");
  });
});
