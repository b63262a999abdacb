import { describe, expect, it } from "vitest";
import { resolveFollowUp, type PreviousTurn } from "../../src/conversation/followup.js";

const turn = (question: string, citations: Array<Partial<PreviousTurn["citations"][number]>> = [], query = question): PreviousTurn => ({
  question,
  query,
  answered: citations.length > 0,
  citations: citations.map((c, i) => ({ passageId: `art#p${i + 1}`, articleId: "art", source: "the article", quote: "", ...c })),
});

describe("resolving follow-up questions", () => {
  it("returns a first question unchanged", () => {
    expect(resolveFollowUp("When could the border reopen?", [])).toEqual({
      query: "When could the border reopen?",
      followUp: false,
      carried: [],
      prefer: { passageIds: [], articleIds: [] },
    });
  });

  it("brings the previous turn's focus into a definite reference ('the talks') and drops the leading 'and'", () => {
    const prev = turn("Which railway are Türkiye and Armenia holding talks on?", [
      {
        passageId: "kars#p1",
        articleId: "kars",
        source: "Türkiye",
        quote: "officials from Ankara and Yerevan held a second round of technical talks on the Kars–Gyumri railway",
      },
    ]);
    const r = resolveFollowUp("and when did the talks take place?", [prev]);
    expect(r.followUp).toBe(true);
    expect(r.query).toMatch(/^When did the talks take place\? /);
    expect(r.carried.slice(0, 3)).toEqual(["Türkiye", "Armenia", "railway"]);
    expect(r.carried).toContain("Ankara");
    expect(r.prefer).toEqual({ passageIds: ["kars#p1"], articleIds: ["kars"] });
  });

  it("replaces 'he' and 'his' with the speaker the previous answer quoted", () => {
    const prev = turn("What did the Russian president say about trade?", [{ source: "Putin", quote: "trade exceeded $11 billion" }]);
    expect(resolveFollowUp("When did he say it?", [prev]).query).toMatch(/^When did Putin say it\?/);
    expect(resolveFollowUp("What was his view on railways?", [prev]).query).toMatch(/^What was Putin's view on railways\?/);
  });

  it("never takes an article id or 'the ministry' for a person", () => {
    const prev = turn("When did Pashinyan arrive in Russia?", [{ source: "art", quote: "Pashinyan arrived in Russia on December 21" }]);
    expect(resolveFollowUp("Who did he meet?", [prev]).query).toMatch(/^Who did Pashinyan meet\?/);
  });

  it("reuses the previous question for an ellipsis, with the new name in place of the old", () => {
    const prev = turn("What did Putin say about the railways?", [{ source: "Putin" }]);
    expect(resolveFollowUp("And Pashinyan?", [prev]).query).toBe("What did Pashinyan say about the railways?");
    expect(resolveFollowUp("what about the border?", [prev]).query).toBe("What did Putin say about the railways the border?");
  });

  it("chains over turns through the previous resolved query", () => {
    const first = turn("Which company manages Armenia's railways?", [{ quote: "South Caucasian Railway CJSC" }]);
    const second = resolveFollowUp("When was its concession signed?", [first]);
    expect(second.query).toContain("railways");
    const third = resolveFollowUp("And who signed it?", [
      first,
      { ...turn("When was its concession signed?", [{ passageId: "art#p6" }]), query: second.query },
    ]);
    expect(third.query).toMatch(/concession/);
    expect(third.prefer.passageIds).toEqual(expect.arrayContaining(["art#p1", "art#p6"]));
  });

  it("leaves a question that stands on its own as it is, still preferring what was cited", () => {
    const prev = turn("When could the border reopen?", [{ passageId: "p#p13", articleId: "p" }]);
    const r = resolveFollowUp("Which company manages Armenia's railways under a concession?", [prev]);
    expect(r).toMatchObject({
      query: "Which company manages Armenia's railways under a concession?",
      followUp: false,
      carried: [],
      prefer: { passageIds: ["p#p13"] },
    });
  });
});
