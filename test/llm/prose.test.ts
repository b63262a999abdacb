import { describe, expect, it } from "vitest";
import { markersInOrder, proseSentences, renumberMarkers, unquoteUnverified } from "../../src/llm/prose.js";

describe("the model's prose", () => {
  it("splits into sentences that join back to the text, markers staying with their sentence", () => {
    const text = 'Trade reached $4.5 billion [1]. It grew. [2] Will it last? "Yes," he said [3].\n\nNew paragraph';
    const parts = proseSentences(text);
    expect(parts.join("")).toBe(text);
    expect(parts).toEqual(["Trade reached $4.5 billion [1]. ", "It grew. [2] ", "Will it last? ", '"Yes," he said [3].\n\n', "New paragraph"]);
  });

  it("lists markers in order of first use, reading groups and ranges", () => {
    expect(markersInOrder("A [3]. B [1, 2]. C [4-6] and [3].")).toEqual([3, 1, 2, 4, 5, 6]);
  });

  it("renumbers markers, dropping unknown ones and the sentences left with none", () => {
    const numbers = new Map([
      [3, [1]],
      [1, [2, 3]],
    ]);
    const { text, notes } = renumberMarkers("First [3]. Second [1] and [9]. Only unknown [9]. No marker here.", numbers);
    expect(text).toBe("First [1]. Second [2][3] and. No marker here.");
    expect(notes).toEqual(["marker [9] removed: no verified claim", 'sentence removed from the answer, none of its claims verified: "Only unknown [9]."']);
  });

  it("collapses a repeated marker and keeps paragraph breaks", () => {
    expect(
      renumberMarkers(
        "One [1] [2].\n\n\n\nTwo [2].",
        new Map([
          [1, [1]],
          [2, [1]],
        ]),
      ).text,
    ).toBe("One [1].\n\nTwo [1].");
  });

  it("unquotes only the quotations the check rejects", () => {
    const notes: string[] = [];
    const out = unquoteUnverified('He said “real words” and "made up".', (inner) => inner === "real words", notes);
    expect(out).toBe("He said “real words” and made up.");
    expect(notes).toEqual(['quotation marks removed from the answer around unverified text: "made up"']);
  });
});
