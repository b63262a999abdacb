import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findVerbatim } from "../../src/answer/match.js";
import type { Article } from "../../src/corpus/article.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { GloveEmbeddings } from "../../src/embeddings/glove.js";
import { checkClaim } from "../../src/llm/claims.js";
import { checkSentence, gloveBridge, stemsOnly, type Bridge, type SupportEvidence } from "../../src/llm/support.js";
import type { Passage } from "../../src/passages/passage.js";
import { splitArticle } from "../../src/passages/split.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { REPO, REPO_CORPUS } from "../helpers/core.js";

/**
 * Prose lies told next to one real, verifiable quote. Most are made of the quote's and its passage's
 * own words, so only the claim (unit, bound, direction, modal, actor, date, comparison) gives them
 * away; the word check alone lets 52 of the 60 through. The quotes are from the team's own articles
 * (corpus/ and the evaluation fixtures).
 */
const EVAL = path.join(REPO, "test/fixtures/eval");

/** A cited quote: which article it is from, its exact text, and who the article says spoke it. */
interface Cited {
  dir: string;
  article: string;
  quote: string;
  sources: string[];
}

const Q: Record<string, Cited> = {
  border: {
    dir: REPO_CORPUS,
    article: "pashinyan-putin-railways",
    quote: "Turkey could reopen the border “within the next six months.”",
    sources: ["Bloomberg"],
  },
  trade: {
    dir: REPO_CORPUS,
    article: "pashinyan-putin-railways",
    quote: "If in 2024 it exceeded $11 billion, then in the first nine months of this year it amounted to $4.5 billion",
    sources: ["Putin"],
  },
  decisions: {
    dir: REPO_CORPUS,
    article: "pashinyan-putin-railways",
    quote: "political decisions on reopening the railways have not yet been made, preparatory work should begin immediately",
    sources: ["Pashinyan"],
  },
  closed: {
    dir: REPO_CORPUS,
    article: "pashinyan-putin-railways",
    quote: "it has remained closed since 1993, with Turkey linking its opening to progress in the Armenia–Azerbaijan peace process",
    sources: [],
  },
  crossing: {
    dir: REPO_CORPUS,
    article: "kars-gyumri-railway-talks",
    quote: "Armenia has upgraded the crossing in preparation for potential future use.",
    sources: ["Türkiye Today"],
  },
  margara: {
    dir: REPO_CORPUS,
    article: "kars-gyumri-railway-talks",
    quote: "first in February 2023 to send Armenian aid trucks after the earthquake in southeastern Türkiye",
    sources: ["Türkiye Today"],
  },
  services: {
    dir: `${EVAL}/corpus`,
    article: "ankara-kayseri-high-speed-rail-opens",
    quote: 'the number of daily services would rise to 14 "within 18 months"',
    sources: ["Hülya Demirtaş", "Bosphorus Herald"],
  },
  passengers: {
    dir: `${EVAL}/corpus`,
    article: "ankara-kayseri-high-speed-rail-opens",
    quote: "the company expected 2.5 million passengers in the first full year of operation",
    sources: ["Hülya Demirtaş", "Bosphorus Herald"],
  },
  overnight: {
    dir: `${EVAL}/corpus`,
    article: "ankara-kayseri-high-speed-rail-opens",
    quote: "the line would be closed overnight for four hours each day for maintenance during its first year",
    sources: ["Karaosmanoğlu", "Bosphorus Herald"],
  },
  court: {
    dir: `${EVAL}/corpus`,
    article: "bogota-water-tariff-ruling",
    quote: "this could continue provided that the company publishes a revised cost study within six weeks",
    sources: ["the court", "Andes Daily Report"],
  },
  surcharge: {
    dir: `${EVAL}/corpus`,
    article: "bogota-water-tariff-ruling",
    quote: "which added between 8% and 17% to monthly bills",
    sources: ["Andes Daily Report"],
  },
  duties: {
    dir: `${EVAL}/corpus`,
    article: "georgia-south-korea-wine-agreement",
    quote: "duties would fall by three percentage points a year until they reach zero",
    sources: ["Beridze", "Meridian Wire"],
  },
  bottle: {
    dir: `${EVAL}/corpus`,
    article: "georgia-south-korea-wine-agreement",
    quote: "a bottle of Saperavi will cost less in Seoul than it does today",
    sources: ["Beridze", "Meridian Wire"],
  },
  ferries: {
    dir: `${EVAL}/corpus`,
    article: "greek-ferry-crews-strike",
    quote: "some 80,000 passengers would be affected over the two days",
    sources: ["the association", "Harbour Post"],
  },
  turbines: {
    dir: `${EVAL}/corpus`,
    article: "moscow-gas-pipeline-maintenance-armenia-georgia",
    quote: "engineers would replace two turbines and a section of pipe near the town of Mozdok, about 130 kilometres north of the Georgian border",
    sources: ["Pavel Kornilov", "Bosphorus Herald"],
  },
  scheduled: {
    dir: `${EVAL}/corpus`,
    article: "moscow-gas-pipeline-maintenance-armenia-georgia",
    quote: "The maintenance was scheduled last year and our partners were informed in good time",
    sources: ["Pavel Kornilov", "Bosphorus Herald"],
  },
  appeal: {
    dir: `${EVAL}/corpus`,
    article: "kenya-drought-relief-appeal",
    quote: "The appeal will run for six months, until the end of March, and will be reviewed in January depending on the rains.",
    sources: ["Africa Horizon Report"],
  },
  bridge: {
    dir: `${EVAL}/corpus`,
    article: "agarak-nurduz-bridge-reconstruction",
    quote: "the new bridge would be 160 metres long, with two lanes for freight",
    sources: ["Jafari", "Eastern Corridor Review"],
  },
  tehran: {
    dir: `${EVAL}/corpus`,
    article: "agarak-nurduz-bridge-reconstruction",
    quote: "Tehran considers this project a priority for the North–South corridor",
    sources: ["Jafari", "Eastern Corridor Review"],
  },
  hull: {
    dir: `${EVAL}/corpus`,
    article: "vestland-electric-ferry-contract",
    quote: "construction of the first hull would begin in September, with the three ships delivered at intervals of about four months",
    sources: ["Emre Aksoy", "Northern Current"],
  },
  fares: {
    dir: `${EVAL}/corpus-more`,
    article: "atlas-skies-casablanca-sao-paulo-route",
    quote: "Return economy fares start at 8,900 dirhams from Casablanca and at 4,990 reais from São Paulo",
    sources: ["the airline", "Maghreb Air Report"],
  },
  advance: {
    dir: `${EVAL}/corpus-more`,
    article: "czech-bystrice-flood-recovery-plan",
    quote: "an advance of up to 200,000 koruna per household could be paid within three weeks of an application",
    sources: ["Dvořáková", "Bohemian Morning Post"],
  },
  dailyCap: {
    dir: `${EVAL}/corpus-more`,
    article: "malmo-congestion-charge-vote",
    quote: "Nobody would pay more than 120 kronor, or about 11 euros, in a single day",
    sources: ["Öresund Daily"],
  },
  traffic: {
    dir: `${EVAL}/corpus-more`,
    article: "malmo-congestion-charge-vote",
    quote: "the city expected car traffic across the charging zone to fall by between 15% and 20% in the first year",
    sources: ["Linnéa Ekdahl", "Öresund Daily"],
  },
  revenue: {
    dir: `${EVAL}/corpus-more`,
    article: "malmo-congestion-charge-vote",
    quote: "the charge would raise about 380 million kronor a year after running costs",
    sources: ["City officials", "Öresund Daily"],
  },
  mackerel: {
    dir: `${EVAL}/corpus-more`,
    article: "faroe-iceland-fisheries-deal-2026",
    quote: "the mackerel stock could fall below a precautionary level within two to three years",
    sources: ["Ásdís Þórðardóttir", "North Atlantic Fishing Gazette"],
  },
};

type Kind = "unit" | "number" | "bound" | "direction" | "negation" | "modality" | "actor" | "date" | "comparison" | "currency";

/** What a misbehaving model writes next to the quote, and which kind of lie it is. */
const LIES: Array<[Kind, keyof typeof Q, string]> = [
  // The quote and its lies.
  ["unit", "border", "Turkey could reopen the border within the next six years [1]."],
  ["unit", "border", "Turkey could reopen the border within the next six weeks [1]."],
  ["unit", "border", "Turkey could reopen the border within the next six days [1]."],
  ["direction", "border", "Turkey could reopen the border within the last six months [1]."],
  ["direction", "border", "Turkey could reopen the border only after six months [1]."],
  ["bound", "border", "Turkey could reopen the border in more than six months [1]."],
  ["actor", "border", "Armenia could reopen the border within the next six months [1]."],
  ["actor", "border", "The border could be reopened by Armenia within the next six months [1]."],
  ["actor", "border", "Turkey and Armenia could reopen the border within the next six months [1]."],
  ["modality", "border", "Turkey would reopen the border within the next six months [1]."],
  ["modality", "border", "Turkey will reopen the border within the next six months [1]."],
  ["modality", "border", "Turkey must reopen the border within the next six months [1]."],
  ["modality", "border", "Turkey reopened the border within the next six months [1]."],
  ["modality", "border", "Turkey is expected to reopen the border within the next six months [1]."],
  ["number", "border", "Turkey could reopen the border within the next eight months [1]."],
  ["negation", "border", "Turkey could not reopen the border within the next six months [1]."],
  ["negation", "border", "Turkey could never reopen the border within the next six months [1]."],
  // Other quotes of the team's articles.
  ["comparison", "trade", "Putin said that in 2024 trade was less than $11 billion [1]."],
  ["currency", "trade", "Putin said that in 2024 it exceeded €11 billion [1]."],
  ["date", "trade", "Putin said that in the first nine months of last year it amounted to $4.5 billion [1]."],
  ["direction", "decisions", "Pashinyan said preparatory work should begin only after political decisions on reopening the railways have been made [1]."],
  ["negation", "decisions", "Pashinyan said political decisions on reopening the railways have been made [1]."],
  ["modality", "decisions", "Pashinyan said preparatory work must begin immediately [1]."],
  ["date", "closed", "The border has remained closed since 2022 [1]."],
  ["actor", "closed", "The border has remained closed since 1993, with Armenia linking its opening to progress in the peace process [1]."],
  ["actor", "crossing", "Türkiye has upgraded the crossing in preparation for potential future use [1]."],
  ["date", "margara", "The Margara crossing was first used in March 2023 to send Armenian aid trucks after the earthquake in southeastern Türkiye [1]."],
  ["number", "services", "Demirtaş said the number of daily services would rise to 18 within 14 months [1]."],
  ["unit", "services", "Demirtaş said the number of daily services would rise to 14 within 18 weeks [1]."],
  ["modality", "services", "Demirtaş said the number of daily services will rise to 14 within 18 months [1]."],
  ["direction", "passengers", "Demirtaş said the company expected 2.5 million passengers in the last full year of operation [1]."],
  ["bound", "passengers", "Demirtaş said the company expected more than 2.5 million passengers in the first full year of operation [1]."],
  ["unit", "overnight", "Karaosmanoğlu said the line would be closed overnight for four days for maintenance during its first year [1]."],
  ["direction", "overnight", "Karaosmanoğlu said the line would be closed overnight for four hours each day for maintenance after its first year [1]."],
  ["modality", "overnight", "Karaosmanoğlu said the line will be closed overnight for four hours each day for maintenance during its first year [1]."],
  ["unit", "court", "The court said this could continue provided that the company publishes a revised cost study within six months [1]."],
  ["bound", "court", "The court said this could continue provided that the company publishes a revised cost study after six weeks [1]."],
  ["modality", "court", "The court said this would continue provided that the company publishes a revised cost study within six weeks [1]."],
  ["bound", "surcharge", "The component added more than 17% to monthly bills [1]."],
  ["comparison", "bottle", "Beridze said a bottle of Saperavi will cost more in Seoul than it does today [1]."],
  ["direction", "duties", "Beridze said duties would fall by three percentage points a year after they reach zero [1]."],
  ["modality", "duties", "Beridze said duties will fall by three percentage points a year until they reach zero [1]."],
  ["bound", "ferries", "The association estimated that fewer than 80,000 passengers would be affected over the two days [1]."],
  ["unit", "ferries", "The association estimated that some 80,000 vessels would be affected over the two days [1]."],
  ["modality", "turbines", "Kornilov said engineers will replace two turbines near the town of Mozdok [1]."],
  ["date", "scheduled", "Kornilov said the maintenance was scheduled this year [1]."],
  ["direction", "appeal", "The appeal will run for six months, since the end of March [1]."],
  ["unit", "appeal", "The appeal will run for six weeks, until the end of March [1]."],
  ["modality", "bridge", "Jafari said the new bridge will be 160 metres long, with two lanes for freight [1]."],
  ["actor", "tehran", "Jafari said Armenia considers this project a priority for the North–South corridor [1]."],
  ["unit", "hull", "Aksoy said the three ships would be delivered at intervals of about four weeks [1]."],
  ["modality", "hull", "Aksoy said construction of the first hull will begin in September [1]."],
  ["unit", "fares", "Return economy fares start at 8,900 reais from Casablanca [1]."],
  ["bound", "advance", "Dvořáková said an advance of at least 200,000 koruna per household could be paid within three weeks of an application [1]."],
  ["modality", "advance", "Dvořáková said an advance of up to 200,000 koruna per household will be paid within three weeks of an application [1]."],
  ["modality", "mackerel", "Þórðardóttir said the mackerel stock will fall below a precautionary level within two to three years [1]."],
  ["modality", "traffic", "Ekdahl said car traffic across the charging zone will fall by between 15% and 20% in the first year [1]."],
  ["currency", "dailyCap", "Nobody would pay more than 120 euros in a single day [1]."],
  ["unit", "revenue", "City officials estimate that the charge would raise about 380 million kronor a month after running costs [1]."],
  ["direction", "mackerel", "Þórðardóttir said the mackerel stock could fall below a precautionary level after two to three years [1]."],
];

/** Faithful paraphrases of the same quotes: they must be kept. */
const TRUE: Array<[keyof typeof Q, string]> = [
  ["border", "Bloomberg reported that Turkey could reopen the border within six months [1]."],
  ["border", "According to Bloomberg, the Armenia–Turkey border could reopen within the next six months [1]."],
  ["border", "Turkey may reopen the border within the next six months [1]."],
  ["border", "Turkey might reopen its border with Armenia in the next six months [1]."],
  ["border", "The border could be reopened by Turkey within six months [1]."],
  ["border", "Turkey could reopen the border in under six months, Bloomberg reported [1]."],
  ["border", "Within the next six months, Turkey could reopen the border [1]."],
  ["border", "The border between Armenia and Turkey could reopen within six months, according to Bloomberg [1]."],
  ["trade", "Putin said trade exceeded $11 billion in 2024 [1]."],
  ["trade", "In the first nine months of this year, trade amounted to $4.5 billion, Putin said [1]."],
  ["decisions", "Political decisions on reopening the railways have not been made yet, Pashinyan said [1]."],
  ["decisions", "Pashinyan said political decisions on reopening the railways have yet to be made [1]."],
  ["closed", "The border has remained closed since 1993 [1]."],
  ["crossing", "Armenia has upgraded the crossing for potential future use [1]."],
  ["margara", "The Margara crossing was first used in February 2023 to send Armenian aid trucks after the earthquake [1]."],
  ["services", "Demirtaş said daily services would rise to 14 within 18 months [1]."],
  ["services", "The number of daily services could rise to 14 within 18 months [1]."],
  ["services", "Demirtaş said daily services are expected to rise to 14 within 18 months [1]."],
  ["overnight", "The line would be closed overnight for four hours each day during its first year, for maintenance [1]."],
  ["court", "The court said this could continue if the company publishes a revised cost study within six weeks [1]."],
  ["duties", "Duties would fall by three percentage points a year until they reach zero, Beridze said [1]."],
  ["bottle", "Beridze said a bottle of Saperavi will cost less in Seoul than today [1]."],
  ["ferries", "The association estimated that about 80,000 passengers would be affected over the two days [1]."],
  ["turbines", "Engineers would replace two turbines near Mozdok, about 130 kilometres north of the Georgian border [1]."],
  ["appeal", "The appeal will run for six months, until the end of March [1]."],
  ["appeal", "The appeal could be reviewed in January [1]."],
  ["bridge", "The new bridge would be 160 metres long with two lanes for freight, Jafari said [1]."],
  ["hull", "Aksoy said construction of the first hull would begin in September [1]."],
  ["advance", "Advances of up to 200,000 koruna per household could be paid within three weeks of an application [1]."],
  ["mackerel", "The mackerel stock could fall below a precautionary level within two to three years [1]."],
  ["dailyCap", "No driver would pay more than 120 kronor in a single day [1]."],
  ["traffic", "Ekdahl said car traffic across the charging zone was expected to fall by 15% to 20% in the first year [1]."],
  ["revenue", "The charge could raise about 380 million kronor a year after running costs, city officials estimate [1]."],
];

const corpora = new Map<string, Map<string, Article>>();
let bridge: Bridge;

beforeAll(async () => {
  for (const dir of new Set(Object.values(Q).map((c) => c.dir))) {
    const { articles } = await loadCorpus(dir);
    corpora.set(dir, new Map(articles.map((a) => [a.id, a])));
  }
  bridge = gloveBridge(GloveEmbeddings.open({ cacheDir: TEST_CACHE_DIR }));
});

/** What the verifier hands the check for a verified quote: the quote, its passage and title, its speakers. */
function evidence(key: keyof typeof Q): SupportEvidence {
  const cited = Q[key]!;
  const article = corpora.get(cited.dir)!.get(cited.article)!;
  const passage: Passage | undefined = splitArticle(article).find((p) => findVerbatim(cited.quote, p.text) !== undefined);
  if (!passage) throw new Error(`test: quote not in ${cited.article}: ${cited.quote}`);
  return { quotes: [cited.quote], context: [passage.text, article.title].filter(Boolean), sources: [...cited.sources, article.publisher].filter(Boolean) };
}

describe("checking prose claim by claim against the quote it cites", () => {
  it("has at least 40 crafted lies covering every kind, and 15 true paraphrases", () => {
    expect(LIES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(LIES.map(([kind]) => kind))).toEqual(
      new Set(["unit", "number", "bound", "direction", "negation", "modality", "actor", "date", "comparison", "currency"]),
    );
    expect(TRUE.length).toBeGreaterThanOrEqual(15);
  });

  // The sentence is not in the test's name: vitest would read "$11" in it as a placeholder.
  it.each(LIES)("drops a sentence whose %s differs from the quote (the %s quote, lie %#)", (_kind, key, sentence) => {
    expect(checkSentence(sentence, evidence(key), bridge)).toMatchObject({ supported: false });
  });

  it.each(TRUE)("keeps a faithful paraphrase of the %s quote (paraphrase %#)", (key, sentence) => {
    expect(checkSentence(sentence, evidence(key), bridge)).toEqual({ supported: true });
  });

  it("checks each claim of a sentence that joins two cited quotes against its own quote", () => {
    const [a, b] = [evidence("border"), evidence("closed")];
    const both: SupportEvidence = { quotes: [...a.quotes, ...b.quotes], context: [...a.context, ...b.context], sources: [...a.sources, ...b.sources] };
    expect(checkSentence("The border has remained closed since 1993, but Turkey could reopen it within six months [1][2].", both, bridge)).toEqual({
      supported: true,
    });
    expect(checkSentence("The border has remained closed since 1993, but Turkey would reopen it within six months [1][2].", both, bridge)).toMatchObject({
      supported: false,
    });
    expect(
      checkSentence("The border has remained closed since 1993, but Turkey could reopen it within the last six months [1][2].", both, bridge),
    ).toMatchObject({ supported: false });
    expect(checkSentence("The border has remained closed until 1993, but Turkey could reopen it within six months [1][2].", both, bridge)).toMatchObject({
      supported: false,
    });
  });

  it("keeps every sentence of the team's articles, checked as a claim against its own passage", () => {
    const dropped: string[] = [];
    let checked = 0;
    for (const articles of corpora.values()) {
      for (const article of articles.values()) {
        for (const passage of splitArticle(article)) {
          if (passage.kind === "heading") continue;
          for (const s of passage.sentences) {
            const text = passage.text.slice(s.start - passage.start, s.end - passage.start);
            checked += 1;
            const v = checkClaim(text, { quotes: [text], context: [passage.text, article.title] }, stemsOnly);
            if (!v.supported) dropped.push(`${passage.id}: ${v.reason}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(dropped).toEqual([]);
  });

  it("says what differs, in the words of the sentence and of the quote", () => {
    const reason = (key: keyof typeof Q, s: string) => (checkSentence(s, evidence(key), bridge) as { reason: string }).reason;
    expect(reason("border", "Turkey could reopen the border within the next six years [1].")).toBe(
      "“within the next six years” counts something else than the quote's “within the next six months”",
    );
    expect(reason("border", "Turkey could reopen the border within the last six months [1].")).toBe(
      "“within the last six months” bounds the number differently from the quote's “within the next six months”",
    );
    expect(reason("border", "Armenia could reopen the border within the next six months [1].")).toBe(
      "Armenia acts (“reopen”), where the cited text has Turkey",
    );
    expect(reason("border", "Turkey would reopen the border within the next six months [1].")).toBe(
      "“would reopen” is more certain than the cited “could reopen”",
    );
  });
});
