import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerContext } from "../../src/answer/answerer.js";
import type { Article } from "../../src/corpus/article.js";
import { GloveEmbeddings } from "../../src/embeddings/glove.js";
import { MAX_PROSE_CHARS } from "../../src/llm/prose.js";
import type { LlmAnswer, LlmClaim } from "../../src/llm/schema.js";
import { anyBridge, attributedNames, checkSentence, gloveBridge, sameSource, type Bridge, type SupportEvidence } from "../../src/llm/support.js";
import { verifyLlmAnswer, type StoredCorpus } from "../../src/llm/verify.js";
import type { Passage } from "../../src/passages/passage.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { contextOf, repoPassages, storedCorpusOf } from "../helpers/context.js";

const BLOOMBERG = "pashinyan-putin-railways#p13";
const NOT_YET = "pashinyan-putin-railways#p5";
const TRADE = "pashinyan-putin-railways#p8";
const QUOTE = "Turkey could reopen the border “within the next six months.”";

let articles: Map<string, Article>;
let passages: Map<string, Passage>;
let index: StoredCorpus;
let bridge: Bridge;

beforeAll(async () => {
  ({ articles, passages } = await repoPassages());
  index = storedCorpusOf({ articles, passages });
  bridge = gloveBridge(GloveEmbeddings.open({ cacheDir: TEST_CACHE_DIR }));
});

function ctx(...ids: string[]): AnswerContext {
  return contextOf({ articles, passages }, ids);
}

const claim = (marker: number, passageId: string, quote: string, source = ""): LlmClaim => ({ marker, passageId, quote, source });
const reply = (answer: string, ...claims: LlmClaim[]): LlmAnswer => ({ answer, claims, rejected: { count: 0, notes: [] } });
const bloomberg = (): SupportEvidence => ({ quotes: [QUOTE], context: [passages.get(BLOOMBERG)!.text], sources: ["Bloomberg"] });

describe("checking a prose sentence against the quotes it cites", () => {
  it("accepts a faithful paraphrase of the quote and its passage", () => {
    expect(checkSentence("Bloomberg reported that Turkey could reopen the border within six months [1].", bloomberg(), bridge)).toEqual({ supported: true });
    expect(checkSentence("According to Bloomberg, the Armenia–Turkey border could reopen within the next six months [1].", bloomberg(), bridge)).toEqual({
      supported: true,
    });
  });

  it("rejects a claim that contradicts the quote", () => {
    expect(checkSentence("Turkey has permanently sealed the border with Armenia, Bloomberg reported [1].", bloomberg(), bridge)).toEqual({
      supported: false,
      reason: "not in the cited quotes: permanently, sealed",
    });
  });

  it("rejects text in quotation marks that is not the corpus text", () => {
    const v = checkSentence('Bloomberg: "Turkey has permanently sealed the border with Armenia" [1].', bloomberg(), bridge);
    expect(v).toEqual({ supported: false, reason: 'quotation "Turkey has permanently sealed the border with Armenia" is not the text of a cited quote' });
    expect(checkSentence('Bloomberg: Turkey could reopen the border "within the next six months" [1].', bloomberg(), bridge)).toEqual({ supported: true });
  });

  it("rejects an attribution to someone other than the quote's speaker or publisher", () => {
    expect(checkSentence("Putin said Turkey could reopen the border within six months [1].", bloomberg(), bridge)).toEqual({
      supported: false,
      reason: "attributed to Putin, but the cited quote is Bloomberg",
    });
    expect(checkSentence("According to Reuters, Turkey could reopen the border [1].", bloomberg(), bridge)).toMatchObject({ supported: false });
    expect(checkSentence("Reuters: Turkey could reopen the border [1].", bloomberg(), bridge)).toMatchObject({ supported: false });
  });

  it("rejects a changed number, in digits or in words", () => {
    expect(checkSentence("Turkey could reopen the border within the next eight months [1].", bloomberg(), bridge)).toEqual({
      supported: false,
      reason: "not in the cited quotes: 8",
    });
    expect(checkSentence("Turkey could reopen the border within 6 months [1].", bloomberg(), bridge)).toEqual({ supported: true });
    const trade: SupportEvidence = { quotes: ["If in 2024 it exceeded $11 billion"], context: [passages.get(TRADE)!.text], sources: ["Putin"] };
    expect(checkSentence("Trade exceeded $12 billion in 2024, Putin said [1].", trade, bridge)).toEqual({
      supported: false,
      reason: "not in the cited quotes: 12",
    });
    expect(checkSentence("Trade exceeded $11 billion in 2024, Putin said [1].", trade, bridge)).toEqual({ supported: true });
  });

  it("rejects a negation the quote lacks, and a sentence that drops the quote's negation", () => {
    expect(checkSentence("Turkey could not reopen the border within six months [1].", bloomberg(), bridge)).toEqual({
      supported: false,
      reason: "negation not in the cited quotes",
    });
    const notYet: SupportEvidence = {
      quotes: ["political decisions on reopening the railways have not yet been made"],
      context: [passages.get(NOT_YET)!.text],
      sources: ["Pashinyan"],
    };
    expect(checkSentence("Political decisions on reopening the railways have been made [1].", notYet, bridge)).toEqual({
      supported: false,
      reason: "the cited text negates what the sentence states",
    });
    expect(checkSentence("Political decisions on reopening the railways have not been made yet [1].", notYet, bridge)).toEqual({ supported: true });
  });

  it("rejects a name or a month the evidence never mentions", () => {
    expect(checkSentence("Turkey could reopen the border with Georgia [1].", bloomberg(), bridge)).toEqual({
      supported: false,
      reason: "not in the cited quotes: Georgia",
    });
    expect(checkSentence("Turkey could reopen the border in March [1].", bloomberg(), bridge)).toEqual({
      supported: false,
      reason: "not in the cited quotes: March",
    });
  });

  it("crosses paraphrase bridges but never to an opposite", () => {
    const withFrontier = checkSentence("Turkey could reopen the frontier within six months [1].", bloomberg(), () => new Set(["border"]));
    expect(withFrontier).toEqual({ supported: true });
    expect(checkSentence("Turkey could reopen the frontier within six months [1].", bloomberg())).toMatchObject({ supported: false });
    const countries: Bridge = (w, kind) => new Set(kind === "name" && w === "türkiye" ? ["turkey"] : []);
    expect(
      checkSentence(
        "Türkiye could reopen the frontier [1].",
        bloomberg(),
        anyBridge(countries, () => new Set(["border"])),
      ),
    ).toEqual({ supported: true });
    // GloVe puts "closed" and "shut" next to "reopen"; the default bridge does not cross that line.
    expect([...bridge("reopen", "word")]).not.toContain("closed");
    expect([...bridge("reopen", "word")]).not.toContain("shut");
    expect(checkSentence("Turkey could shut the border within six months [1].", bloomberg(), bridge)).toMatchObject({ supported: false });
    // Names are never bridged by word vectors: a neighbour of Armenia is another country.
    expect(bridge("armenia", "name").size).toBe(0);
  });

  it("reads attributions and matches names by their last word", () => {
    expect(attributedNames("During the meeting, Putin stated that trade grew.")).toEqual(["Putin"]);
    expect(attributedNames("According to the Foreign Ministry, talks were held.")).toEqual(["the Foreign Ministry"]);
    expect(attributedNames("Bloomberg: Turkey could reopen the border.")).toEqual(["Bloomberg"]);
    expect(attributedNames("He said the talks went well.")).toEqual([]);
    expect(sameSource("Putin", "Russian President Vladimir Putin")).toBe(true);
    expect(sameSource("the ministry", "the Foreign Ministry")).toBe(true);
    expect(sameSource("Reuters", "Bloomberg")).toBe(false);
  });
});

describe("prose sentences in a verified answer", () => {
  it("keeps the supported sentences and says why each other one went", () => {
    const v = verifyLlmAnswer(
      reply(
        "Turkey could reopen the border within six months [1]. Turkey has permanently sealed the border with Armenia, Bloomberg reported [1]. Putin said the border could reopen [1].",
        claim(1, BLOOMBERG, QUOTE, "Bloomberg"),
      ),
      ctx(BLOOMBERG),
      { index, bridge },
    );
    expect(v.answer).toBe("Turkey could reopen the border within six months [1].");
    expect(v.removedSentences).toBe(2);
    expect(v.verification.notes).toEqual([
      'sentence removed from the answer, not supported by its quotes (not in the cited quotes: permanently, sealed): "Turkey has permanently sealed the border with Armenia, Bloo…"',
      'sentence removed from the answer, not supported by its quotes (attributed to Putin, but the cited quote is Bloomberg): "Putin said the border could reopen [1]."',
    ]);
  });

  it("checks the attribution against the speaker the article gives the quote, not the model's", () => {
    // The model says Bloomberg spoke; the article says Pashinyan did ("He noted …").
    const v = verifyLlmAnswer(
      reply(
        "Bloomberg reported that political decisions on reopening the railways have not yet been made [1].",
        claim(1, NOT_YET, "political decisions on reopening the railways have not yet been made", "Bloomberg"),
      ),
      ctx(NOT_YET),
      { index, bridge },
    );
    expect(v.citations[0]!.source).toBe("Pashinyan");
    expect(v.answer).toBe("");
    expect(v.verification.notes.at(-1)).toMatch(/attributed to Bloomberg, but the cited quote is Pashinyan/);
  });

  it("caps the prose at MAX_PROSE_CHARS, at a sentence boundary", () => {
    const long = "Turkey could reopen the border within six months [1]. ".repeat(40_000);
    const v = verifyLlmAnswer(reply(long, claim(1, BLOOMBERG, QUOTE, "Bloomberg")), ctx(BLOOMBERG), { index, bridge });
    expect(v.answer.length).toBeLessThanOrEqual(MAX_PROSE_CHARS);
    expect(v.answer).toMatch(/^Turkey could reopen the border within six months \[1\]\. .*\[1\]\.$/);
    expect(v.verification.notes[0]).toMatch(/^prose cut from 2160000 to \d+ characters \(at most 1500\)$/);
  });
});
