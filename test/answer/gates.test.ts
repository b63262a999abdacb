import { describe, expect, it } from "vitest";
import { chooseByThreshold, GATE_SETTINGS, vetoed, type GateCandidate } from "../../src/answer/gates.js";

const sentence = (id: string, score: number, start: number): GateCandidate => ({
  score,
  article: { id: id.split("#")[0]! },
  sentence: { id },
  attribution: { start },
});

describe("the threshold gate", () => {
  it("abstains when the best sentence scores under the threshold", () => {
    expect(chooseByThreshold(0.5, [sentence("a#p1.s1", 0.4, 0)], 3)).toEqual([]);
  });

  it("adds further sentences near the first, a span once, and another article's at its own share of the first one's score", () => {
    const first = sentence("a#p1.s1", 0.8, 0);
    const sameSpan = sentence("a#p1.s2", 0.79, 0);
    const sameArticle = sentence("a#p2.s1", 0.8 * GATE_SETTINGS.extraSameArticle, 100);
    const otherArticle = sentence("b#p1.s1", 0.8 * GATE_SETTINGS.extraOtherArticle, 0);
    expect(chooseByThreshold(0.41, [first, sameSpan, sameArticle, otherArticle], 3)).toEqual([first, sameArticle, otherArticle]);
  });

  it("is left as it chose when no model vetoes it", () => {
    const first = sentence("a#p1.s1", 0.8, 0);
    expect(vetoed(undefined, [first], 0.8)).toEqual({ chosen: [first], confidence: 0.8 });
  });
});
