import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerContext } from "../../src/answer/answerer.js";
import type { Article } from "../../src/corpus/article.js";
import { parseLlmAnswer, type LlmAnswer, type LlmClaim } from "../../src/llm/schema.js";
import { sourceFor, verifyLlmAnswer, type StoredCorpus, type VerifiedAnswer } from "../../src/llm/verify.js";
import type { Passage } from "../../src/passages/passage.js";
import { contextOf, repoPassages, storedCorpusOf } from "../helpers/context.js";

const BLOOMBERG = "pashinyan-putin-railways#p13";
const TRADE = "pashinyan-putin-railways#p8";
const NOT_YET = "pashinyan-putin-railways#p5";
const TALKS = "kars-gyumri-railway-talks#p2";
const MINISTRY = "kars-gyumri-railway-talks#p3";

let articles: Map<string, Article>;
let passages: Map<string, Passage>;
let index: StoredCorpus;

beforeAll(async () => {
  ({ articles, passages } = await repoPassages());
  index = storedCorpusOf({ articles, passages });
});

function ctx(...ids: string[]): AnswerContext {
  return contextOf({ articles, passages }, ids);
}

const claim = (marker: number, passageId: string, quote: string, source = ""): LlmClaim => ({ marker, passageId, quote, source });
const reply = (answer: string, ...claims: LlmClaim[]): LlmAnswer => ({ answer, claims, rejected: { count: 0, notes: [] } });

/** The invariant every citation must keep, whatever the model did. */
function expectVerbatim(v: VerifiedAnswer): void {
  for (const c of v.citations) expect(articles.get(c.articleId)!.body.slice(c.start, c.end)).toBe(c.quote);
}

describe("verifying the model's quotes", () => {
  it("keeps an exact quote, with the corpus text and offsets into the article body", () => {
    const v = verifyLlmAnswer(
      reply("It could reopen within six months [1].", claim(1, BLOOMBERG, 'Turkey could reopen the border "within the next six months."', "Bloomberg")),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.verification).toEqual({ kept: 1, repaired: 0, dropped: 0, notes: [] });
    const p = passages.get(BLOOMBERG)!;
    expect(v.citations).toEqual([
      {
        n: 1,
        source: "Bloomberg",
        quote: "Turkey could reopen the border “within the next six months.”",
        articleId: "pashinyan-putin-railways",
        passageId: BLOOMBERG,
        start: p.start + p.text.indexOf("Turkey could"),
        end: p.end,
        // The seed article's title, made from its first sentence on import.
        title: "Armenian Prime Minister Nikol Pashinyan met with Russian President Vladimir Putin on Monday during…",
        publisher: "",
        published: "",
        url: "",
      },
    ]);
    expect(v.answer).toBe("It could reopen within six months [1].");
    expectVerbatim(v);
  });

  it("re-attributes a quote cited to the wrong passage to the retrieved passage that holds it", () => {
    const v = verifyLlmAnswer(
      reply("Ankara and Yerevan held talks [1].", claim(1, BLOOMBERG, "officials from Ankara and Yerevan held a second round of technical talks")),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.verification).toMatchObject({ kept: 0, repaired: 1, dropped: 0, notes: [`[1] quote is from ${TALKS}, not ${BLOOMBERG}: re-attributed`] });
    expect(v.citations[0]).toMatchObject({ passageId: TALKS, articleId: "kars-gyumri-railway-talks" });
    expectVerbatim(v);
  });

  it("re-attributes a quote whose passage id was invented", () => {
    const v = verifyLlmAnswer(
      reply("Talks were held [1].", claim(1, "kars-gyumri-railway-talks#p99", "held a second round of technical talks")),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.verification.notes).toEqual([`[1] quote is from ${TALKS}, not kars-gyumri-railway-talks#p99 (not a retrieved passage): re-attributed`]);
    expect(v.citations[0]!.passageId).toBe(TALKS);
  });

  it("replaces a near-verbatim quote with the exact corpus text", () => {
    const v = verifyLlmAnswer(
      reply("It could reopen soon [1].", claim(1, BLOOMBERG, "Bloomberg reported this month that Turkey could reopen the border within the next six months")),
      ctx(BLOOMBERG),
      { index },
    );
    expect(v.verification).toMatchObject({ kept: 0, repaired: 1, dropped: 0 });
    expect(v.verification.notes[0]).toMatch(new RegExp(`^\\[1\\] quote differed from ${BLOOMBERG} \\(similarity 0\\.9\\d\\): replaced by the exact text$`));
    expect(v.citations[0]!.quote).toBe("Bloomberg reported earlier this month that Turkey could reopen the border “within the next six months.”");
    expectVerbatim(v);
  });

  it("repairs and re-attributes a near quote found only in another retrieved passage", () => {
    const v = verifyLlmAnswer(
      reply("Talks happened [1].", claim(1, BLOOMBERG, "officials from Ankara and Yerevan held a second round of talks on rehabilitating")),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.verification.repaired).toBe(1);
    expect(v.verification.notes[0]).toMatch(/replaced by the exact text and re-attributed \(cited pashinyan-putin-railways#p13\)$/);
    expect(v.citations[0]).toMatchObject({
      passageId: TALKS,
      quote: "officials from Ankara and Yerevan held a second round of technical talks on rehabilitating",
    });
  });

  it("drops a near quote that changes a number, since the prose likely states the wrong figure", () => {
    const v = verifyLlmAnswer(
      reply(
        "Trade topped $12 billion in 2024 [1].",
        claim(1, TRADE, "If in 2024 it exceeded $12 billion, then in the first nine months of this year it amounted to $4.5 billion"),
      ),
      ctx(TRADE),
      { index },
    );
    expect(v.verification).toMatchObject({
      kept: 0,
      repaired: 0,
      dropped: 1,
      notes: [`[1] quote differs from ${TRADE} in a number or negation (12, 11): dropped`, expect.stringMatching(/^sentence removed/)],
    });
    expect(v.citations).toEqual([]);
  });

  it("drops a near quote that loses a negation", () => {
    const v = verifyLlmAnswer(
      reply("Decisions have been made [1].", claim(1, NOT_YET, "while political decisions on reopening the railways have yet been made")),
      ctx(NOT_YET),
      { index },
    );
    expect(v.verification.notes[0]).toBe(`[1] quote differs from ${NOT_YET} in a number or negation (not): dropped`);
    expect(v.citations).toEqual([]);
  });

  it("drops a fabricated quote, and a real one from a passage that was not retrieved", () => {
    const v = verifyLlmAnswer(
      reply(
        "It reopens next week [1]. Talks were held [2].",
        claim(1, BLOOMBERG, "Turkey will reopen the border next week, officials confirmed"),
        claim(2, BLOOMBERG, "held a second round of technical talks"),
      ),
      ctx(BLOOMBERG),
      { index },
    );
    expect(v.verification).toMatchObject({ kept: 0, repaired: 0, dropped: 2 });
    expect(v.verification.notes.slice(0, 2)).toEqual([`[1] quote not found in ${BLOOMBERG}: dropped`, `[2] quote not found in ${BLOOMBERG}: dropped`]);
    expect(v.citations).toEqual([]);
  });

  it("drops a verbatim quote too short to support a claim", () => {
    const v = verifyLlmAnswer(reply("Bloomberg said so [1].", claim(1, BLOOMBERG, "Bloomberg reported")), ctx(BLOOMBERG), { index });
    expect(v.verification.notes[0]).toBe('[1] quote "Bloomberg reported" is too short to support a claim (under 3 words): dropped');
    expect(v.citations).toEqual([]);
  });

  it("counts claims the parser rejected as dropped", () => {
    const parsed = parseLlmAnswer(
      JSON.stringify({
        answer: "Talks [1]. More [2].",
        claims: [
          { marker: 1, passageId: TALKS, quote: "held a second round of technical talks" },
          { marker: "two", quote: 5 },
        ],
      }),
    );
    expect(parsed.ok).toBe(true);
    const v = verifyLlmAnswer((parsed as { value: LlmAnswer }).value, ctx(TALKS), { index });
    expect(v.verification).toMatchObject({ kept: 1, repaired: 0, dropped: 1 });
    expect(v.verification.notes[0]).toMatch(/^claim 2 is malformed \(marker: .*\): dropped$/);
    expect(v.answer).toBe("Talks [1].");
  });
});

describe("rewriting the prose to match the citations shown", () => {
  it("renumbers markers in order of appearance and removes the sentence whose only claim failed", () => {
    const v = verifyLlmAnswer(
      reply(
        "Talks were held [3]. The border could reopen within six months [1]. Officials confirmed it for next week [2].",
        claim(1, BLOOMBERG, "Turkey could reopen the border"),
        claim(2, BLOOMBERG, "officials confirmed a reopening next week"),
        claim(3, TALKS, "held a second round of technical talks"),
      ),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.answer).toBe("Talks were held [1]. The border could reopen within six months [2].");
    expect(v.citations.map((c) => [c.n, c.passageId])).toEqual([
      [1, TALKS],
      [2, BLOOMBERG],
    ]);
    expect(v.verification.notes).toContain('sentence removed from the answer, none of its claims verified: "Officials confirmed it for next week [2]."');
  });

  it("keeps a sentence with at least one verified marker and removes the markers that have no claim", () => {
    const v = verifyLlmAnswer(
      reply("Turkey could reopen the border [2], within six months [7].", claim(2, BLOOMBERG, "Turkey could reopen the border")),
      ctx(BLOOMBERG),
      { index },
    );
    expect(v.answer).toBe("Turkey could reopen the border [1], within six months.");
    expect(v.verification.notes).toContain("marker [7] removed: no verified claim");
  });

  it("rewrites grouped and ranged markers to the surviving numbers", () => {
    const v = verifyLlmAnswer(
      reply(
        "Talks and a reopening [1, 2, 3]. Both again [2-3].",
        claim(1, TALKS, "held a second round of technical talks"),
        claim(2, BLOOMBERG, "fabricated words that are not there"),
        claim(3, BLOOMBERG, "Turkey could reopen the border"),
      ),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.answer).toBe("Talks and a reopening [1][2]. Both again [2].");
  });

  it("keeps the marker with its sentence when it follows the full stop", () => {
    const v = verifyLlmAnswer(
      reply(
        "It is fabricated. [1] Talks were held. [2]",
        claim(1, BLOOMBERG, "nothing like this is in the passage"),
        claim(2, TALKS, "held a second round of technical talks"),
      ),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.answer).toBe("Talks were held. [1]");
  });

  it("keeps a sentence without markers only when the quotes shown support it", () => {
    const v = verifyLlmAnswer(
      reply(
        "In short: yes. Talks were held [1]. Officials from Ankara and Yerevan held talks. The articles do not give a date.",
        claim(1, TALKS, "held a second round of technical talks"),
      ),
      ctx(TALKS),
      { index },
    );
    expect(v.answer).toBe("Talks were held [1]. Officials from Ankara and Yerevan held talks.");
    expect(v.removedSentences).toBe(2);
    expect(v.verification.notes).toContain(
      'sentence removed from the answer, not supported by its quotes (not in the cited quotes: short, yes): "In short: yes."',
    );
  });

  it("shows one citation for a quote cited under two markers", () => {
    const v = verifyLlmAnswer(
      reply(
        "Talks [1]. Again talks [2].",
        claim(1, TALKS, "held a second round of technical talks"),
        claim(2, TALKS, "held a second round  of technical talks"),
      ),
      ctx(TALKS),
      { index },
    );
    expect(v.citations).toHaveLength(1);
    expect(v.answer).toBe("Talks [1]. Again talks [1].");
    expect(v.verification.kept).toBe(2);
  });

  it("shows every verified quote of a marker that has several", () => {
    const v = verifyLlmAnswer(
      reply(
        "Talks took place in Gyumri [1].",
        claim(1, TALKS, "held a second round of technical talks"),
        claim(1, MINISTRY, "later in the Armenian city of Gyumri"),
      ),
      ctx(TALKS, MINISTRY),
      { index },
    );
    expect(v.answer).toBe("Talks took place in Gyumri [1][2].");
    expect(v.citations.map((c) => c.passageId)).toEqual([TALKS, MINISTRY]);
  });

  it("appends claims the prose never marks after the marked ones", () => {
    const v = verifyLlmAnswer(
      reply("Talks were held [2].", claim(1, BLOOMBERG, "Turkey could reopen the border"), claim(2, TALKS, "held a second round of technical talks")),
      ctx(BLOOMBERG, TALKS),
      { index },
    );
    expect(v.citations.map((c) => [c.n, c.passageId])).toEqual([
      [1, TALKS],
      [2, BLOOMBERG],
    ]);
    expect(v.answer).toBe("Talks were held [1].");
  });

  it("removes a sentence quoting text that is not corpus text, and keeps quotation marks around corpus text", () => {
    const v = verifyLlmAnswer(
      reply(
        'Bloomberg said it could reopen "within the next six months" [1]. Officials called it "a done deal" [1].',
        claim(1, BLOOMBERG, "Turkey could reopen the border"),
      ),
      ctx(BLOOMBERG),
      { index },
    );
    expect(v.answer).toBe('Bloomberg said it could reopen "within the next six months" [1].');
    expect(v.verification.notes).toContain(
      'sentence removed from the answer, not supported by its quotes (quotation "a done deal" is not the text of a cited quote): "Officials called it "a done deal" [1]."',
    );
  });
});

describe("naming the source of a citation", () => {
  const kars = () => ({ article: articles.get("kars-gyumri-railway-talks")! });
  const putin = () => ({ article: articles.get("pashinyan-putin-railways")! });

  it("uses the model's source when the article names it", () => {
    expect(sourceFor("Bloomberg", putin())).toBe("Bloomberg");
    expect(sourceFor("the Foreign Ministry", kars())).toBe("the Foreign Ministry");
    expect(sourceFor("Vladimir  Putin", putin())).toBe("Vladimir Putin");
  });

  it("falls back to the publisher when the article does not name the model's source", () => {
    expect(sourceFor("Reuters", kars())).toBe("Türkiye Today");
    expect(sourceFor("", kars())).toBe("Türkiye Today");
    expect(sourceFor("bloomberg", putin())).toBe("the article");
  });

  it("says 'the article' when there is no publisher either", () => {
    expect(sourceFor("Reuters", putin())).toBe("the article");
  });

  it("does not accept a pronoun or a fragment of a word as a source", () => {
    expect(sourceFor("he", putin())).toBe("the article");
    expect(sourceFor("Bloom", putin())).toBe("the article");
  });
});
