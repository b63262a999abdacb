import { describe, expect, it } from "vitest";
import { activeFilters, articleMatches, checkFilters, checkIsoDate } from "../../src/retrieval/filters.js";

const ARTICLES = [
  { id: "kars-gyumri-railway-talks", publisher: "Türkiye Today", published: "2025-11-29T11:18:00+03:00" },
  { id: "pashinyan-putin-railways", publisher: "", published: "" },
  { id: "an-october-article", publisher: "Test Wire", published: "2025-10-01" },
];

describe("checking an ISO date", () => {
  it("takes real dates and date-times", () => {
    for (const d of ["2025-11-01", "2024-02-29", "2025-11-29T11:18", "2025-11-29T11:18:00+03:00", "2025-12-31T23:59:59.5Z"])
      expect(checkIsoDate(d)).toEqual({ ok: true, date: d });
  });

  it("refuses a day its month does not have, which Date.parse rolls over", () => {
    expect(Number.isNaN(Date.parse("2025-02-30"))).toBe(false);
    expect(checkIsoDate("2025-02-30")).toEqual({ ok: false, reason: "2025-02-30 is not a date: February 2025 has 28 days." });
    expect(checkIsoDate("2025-04-31")).toEqual({ ok: false, reason: "2025-04-31 is not a date: April 2025 has 30 days." });
    expect(checkIsoDate("2025-02-00")).toMatchObject({ ok: false });
    expect(checkIsoDate("2025-13-01")).toEqual({ ok: false, reason: "2025-13-01 has no month 13; expected an ISO date such as 2025-11-01 (YYYY-MM-DD)." });
  });

  it("refuses impossible times and anything that is not an ISO date", () => {
    expect(checkIsoDate("2025-11-01T24:00")).toMatchObject({ ok: false, reason: expect.stringContaining("is not a time of day") });
    expect(checkIsoDate("2025-11-01T10:60")).toMatchObject({ ok: false });
    expect(checkIsoDate("01/11/2025")).toEqual({ ok: false, reason: "expected an ISO date such as 2025-11-01 (YYYY-MM-DD)." });
  });
});

describe("checking filters against the articles before asking", () => {
  it("names the publisher that no article has", () => {
    expect(checkFilters({ publishers: ["Bloomberg"] }, ARTICLES)).toEqual({ refused: "no article from publisher “Bloomberg”", notes: [] });
  });

  it("names the article id that does not exist, however it is spelled", () => {
    expect(checkFilters({ articleIds: ["../../etc/passwd"] }, ARTICLES)).toEqual({ refused: "no article with id “../../etc/passwd”", notes: [] });
    expect(checkFilters({ articleIds: ["a\u0000b", "c"] }, ARTICLES).refused).toBe("no article with id “ab” or “c”");
  });

  it("names a date bound that leaves no article, and a range whose ends are the wrong way round", () => {
    expect(checkFilters({ from: "2026-01-01" }, ARTICLES).refused).toBe("no article published on or after 2026-01-01");
    expect(checkFilters({ to: "2025-09-30" }, ARTICLES).refused).toBe("no article published on or before 2025-09-30");
    expect(checkFilters({ from: "2025-12-01", to: "2025-11-01" }, ARTICLES).refused).toBe("the dates leave no day: from 2025-12-01 is after to 2025-11-01");
    expect(checkFilters({ from: "2025-11-01", to: "2025-11-28" }, ARTICLES).refused).toBe("no article published from 2025-11-01 to 2025-11-28");
  });

  it("blames the combination only when each filter matches something on its own", () => {
    expect(checkFilters({ articleIds: ["pashinyan-putin-railways"], publishers: ["Türkiye Today"] }, ARTICLES).refused).toBe(
      "no article matches all the filters together (id “pashinyan-putin-railways”; publisher “Türkiye Today”)",
    );
  });

  it("lets through filters some article passes, noting the values that match nothing", () => {
    expect(checkFilters({ articleIds: ["no-such-article", "kars-gyumri-railway-talks"], publishers: ["türkiye today", "Nobody"] }, ARTICLES)).toEqual({
      notes: ["no article with id “no-such-article”", "no article from publisher “Nobody”"],
    });
    expect(checkFilters({ from: "2025-11-29", to: "2025-11-29" }, ARTICLES)).toEqual({ notes: [] });
    expect(checkFilters({}, ARTICLES)).toEqual({ notes: [] });
  });

  it("matches articles by id, publisher in any case, and day, and treats empty filters as none", () => {
    const [kars, untitled] = ARTICLES as [(typeof ARTICLES)[0], (typeof ARTICLES)[0]];
    expect(articleMatches(kars, { publishers: ["TÜRKIYE TODAY"], from: "2025-11-29T23:00", to: "2025-11-29" })).toBe(true);
    expect(articleMatches(untitled, { from: "2000-01-01" })).toBe(false);
    expect(articleMatches(untitled, { articleIds: ["pashinyan-putin-railways"] })).toBe(true);
    expect(activeFilters({ articleIds: [], publishers: [] })).toBeUndefined();
  });
});
