import { describe, expect, it } from "vitest";
import { normaliseDate } from "../../src/corpus/date.js";

describe("normalising publication dates", () => {
  it("reads the date forms sites and people write, in ISO 8601", () => {
    expect(normaliseDate("2025-03-15")).toBe("2025-03-15");
    expect(normaliseDate("15 March 2025")).toBe("2025-03-15");
    expect(normaliseDate("28 November, 2025")).toBe("2025-11-28");
    expect(normaliseDate("10/18/2024")).toBe("2024-10-18");
    expect(normaliseDate("March 15, 2025")).toBe("2025-03-15");
    expect(normaliseDate("Saturday, 15 March 2025")).toBe("2025-03-15");
    expect(normaliseDate("November 29, 2025 11:18 AM GMT+03:00")).toBe("2025-11-29T11:18:00+03:00");
    expect(normaliseDate("2025-06-02T07:45:00+01:00")).toBe("2025-06-02T07:45:00+01:00");
  });

  it("never guesses: a partial, relative or ambiguous date stays empty", () => {
    for (const text of ["", "last Tuesday", "Nov 2025", "28 November", "03/04/2025", "yesterday", "soon"]) expect(normaliseDate(text), text).toBe("");
  });
});
