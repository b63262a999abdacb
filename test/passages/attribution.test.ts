import { describe, expect, it } from "vitest";
import { attributeArticle } from "../../src/passages/attribution.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { splitArticle } from "../../src/passages/split.js";
import { REPO_CORPUS } from "../helpers/core.js";

describe("attributing claims to who made them", async () => {
  const { articles } = await loadCorpus(REPO_CORPUS);
  const quoteOf = (articleId: string, sentenceId: string) => {
    const article = articles.find((a) => a.id === articleId)!;
    const a = attributeArticle(splitArticle(article)).get(`${articleId}#${sentenceId}`)!;
    return { source: a.source, quote: article.body.slice(a.start, a.end) };
  };

  it("credits a reported claim to the outlet and quotes the reported clause", () => {
    expect(quoteOf("pashinyan-putin-railways", "p13.s2")).toEqual({
      source: "Bloomberg",
      quote: "Turkey could reopen the border “within the next six months.”",
    });
  });

  it("credits a quotation to the speaker named after it, across its sentences", () => {
    expect(quoteOf("pashinyan-putin-railways", "p4.s2")).toEqual({
      source: "Pashinyan",
      quote: "I am referring, in particular, to the Ijevan, Yeraskh, and Akhurik sectors.",
    });
    expect(quoteOf("pashinyan-putin-railways", "p8.s1").source).toBe("Putin");
  });

  it("resolves a pronoun to the last named speaker", () => {
    expect(quoteOf("pashinyan-putin-railways", "p5.s1")).toMatchObject({ source: "Pashinyan" });
    expect(quoteOf("pashinyan-putin-railways", "p5.s1").quote.startsWith("while political decisions")).toBe(true);
  });

  it("resolves a title to the person it names and a generic mention to the named body", () => {
    expect(quoteOf("pashinyan-putin-railways", "p11.s1").source).toBe("Putin");
    expect(quoteOf("kars-gyumri-railway-talks", "p6.s1").source).toBe("the Foreign Ministry");
    expect(quoteOf("kars-gyumri-railway-talks", "p3.s1").source).toBe("the Foreign Ministry");
  });

  it("credits a quotation opened after 'X said,' to X", () => {
    expect(quoteOf("pashinyan-putin-railways", "p16.s2")).toEqual({
      source: "Erdogan",
      quote: "God willing, some symbolic steps will be taken from the beginning of next year",
    });
  });

  it("handles appositives, inverted and unquoted trailing attributions", () => {
    const body =
      "Lena Doyle, the economy minister of Norland, said on Monday that the agency will open 63 new clinics.\n\n“This is a significant step for the region,” said Omar Kaya, the mayor.\n\nThe agency expects the programme to cost 3.3 billion euros, Doyle said.";
    const attrs = attributeArticle(splitArticle({ id: "x", body }));
    const got = [...attrs.values()].map((a) => [a.source, body.slice(a.start, a.end)]);
    expect(got).toEqual([
      ["Lena Doyle", "the agency will open 63 new clinics."],
      ["Omar Kaya", "This is a significant step for the region"],
      ["Doyle", "The agency expects the programme to cost 3.3 billion euros"],
    ]);
  });

  it("leaves plain narration unattributed", () => {
    expect(quoteOf("kars-gyumri-railway-talks", "p13.s1").source).toBeUndefined();
  });
});

/** Every sentence of an invented article with the speaker it is credited to. */
function speakers(body: string): Array<[string | undefined, string]> {
  const passages = splitArticle({ id: "t", body });
  const attrs = attributeArticle(passages);
  return passages.flatMap((p) => p.sentences.map((s): [string | undefined, string] => [attrs.get(s.id)!.source, s.text]));
}

/** The speaker credited with the sentence that contains `words`. */
function whoSaid(body: string, words: string): string | undefined {
  const hit = speakers(body).find(([, text]) => text.includes(words));
  if (!hit) throw new Error(`no sentence contains "${words}"`);
  return hit[0];
}

describe("crediting quotations the way news is written", () => {
  it("credits a quotation to the speaker named in the same sentence, before or after it", () => {
    const body = [
      "“We will reopen the ferry line by spring,” Mara Quist said on Tuesday.",
      "Harbour master Oskar Lind said: “The pier needs new pilings first.”",
      "“Nobody is losing a job,” said Tomas Vell, the union's regional secretary.",
      "Ines Marlow, a spokesperson for the port, said the berth “will stay open at night”.",
    ].join("\n\n");
    expect(whoSaid(body, "reopen the ferry")).toBe("Mara Quist");
    expect(whoSaid(body, "new pilings")).toBe("Oskar Lind");
    expect(whoSaid(body, "losing a job")).toBe("Tomas Vell");
    expect(whoSaid(body, "stay open at night")).toBe("Ines Marlow");
  });

  it("credits a quotation with no speaker of its own to the person the sentence before names", () => {
    const body = "Mara Quist toured the flooded depot on Tuesday morning. “The water came in faster than anyone expected.”";
    expect(whoSaid(body, "water came in")).toBe("Mara Quist");
  });

  it("credits a quotation late in a paragraph to the speaker of the paragraph's first sentence", () => {
    const body =
      "Oskar Lind said on Monday that the dredging contract would be signed this week. The work is expected to take four months. “We cannot let the channel silt up again.”";
    expect(whoSaid(body, "silt up")).toBe("Oskar Lind");
  });

  it("resolves he and she to the person last named, and it to the organisation last named", () => {
    const body = [
      "Mara Quist, the ferry operator's founder, arrived at the quay on Monday.",
      "“We have waited long enough,” she said.",
      "The Northsea Shipping Company also weighed in.",
      "“Passengers deserve a timetable they can trust,” it said in a statement.",
      "Oskar Lind left before the vote. “I will be back,” he said.",
    ].join("\n\n");
    expect(whoSaid(body, "waited long enough")).toBe("Mara Quist");
    expect(whoSaid(body, "timetable they can trust")).toBe("Northsea Shipping Company");
    expect(whoSaid(body, "I will be back")).toBe("Oskar Lind");
  });

  it("resolves a role to the person the article names holding it, and keeps a role no one is named for", () => {
    const body = [
      "Harbour Authority Chair Ines Marlow opened the new terminal on Friday.",
      "“It took eleven years,” the chair said.",
      "Tomas Vell, the company's chief executive, was not at the ceremony.",
      "“We are proud of the crews,” the company's chief executive said later.",
      "“Costs rose by a third,” the company's auditor said.",
    ].join("\n\n");
    expect(whoSaid(body, "eleven years")).toBe("Ines Marlow");
    expect(whoSaid(body, "proud of the crews")).toBe("Tomas Vell");
    expect(whoSaid(body, "rose by a third")).toBe("the company's auditor");
  });

  it("reads straight, curly, single and mixed quotation marks alike", () => {
    const body = [
      '"The bridge is safe," engineer Lena Holt said.',
      "‘We checked every bolt,’ Holt said.",
      '“The paint is the last job," Holt said.',
      "‘It opens in May,” Holt added.",
      "Holt called the repairs ‘overdue but sound’.",
    ].join("\n\n");
    for (const words of ["bridge is safe", "every bolt", "last job", "opens in May", "overdue but sound"]) expect(whoSaid(body, words), words).toMatch(/Holt$/);
  });

  it("follows a quotation over several paragraphs to the speaker named at its end", () => {
    const body =
      "“The storm took the roof off the school hall.\n\n“We moved the classes to the library within a day.\n\n“Nobody was hurt, and that is what matters,” head teacher Rosa Ekdahl said.";
    expect(whoSaid(body, "roof off")).toBe("Rosa Ekdahl");
    expect(whoSaid(body, "library within a day")).toBe("Rosa Ekdahl");
  });

  it("credits a quotation that continues in the next paragraph to the same speaker", () => {
    const body = "“The harvest is a month late,” farmer Piet Ahlgren said.\n\n“If the rain holds off, we will still make it.”";
    expect(whoSaid(body, "rain holds off")).toBe("Piet Ahlgren");
  });

  it("credits unnamed speakers as the article words them, not the person named before", () => {
    const body =
      "Mara Quist defended the new timetable on Monday. Days later, during which critics were saying the plan was “a gamble”, the ferries ran late.\n\n“Bring back the old ferry” – so say the island councillors.";
    expect(whoSaid(body, "a gamble")).toBe("critics");
    expect(whoSaid(body, "Bring back")).toBe("the island councillors");
  });

  it("never names a garbled token as the speaker", () => {
    const body = "The local paper Bo?az Ke?im reported on Monday that the ferry line would reopen.\n\n“We are ready,” Bo?az Ke?im said.";
    for (const [source] of speakers(body)) expect(source ?? "").not.toMatch(/\?/);
  });

  it("does not credit plain narration to anyone", () => {
    expect(speakers("The ferry line closed in 2019 after the pier collapsed.")[0]![0]).toBeUndefined();
  });
});
