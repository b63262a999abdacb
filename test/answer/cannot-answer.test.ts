import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_A_QUESTION } from "../../src/answer/question.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";

/**
 * Near-miss questions: each asks for a fact the articles do not give about things they do mention, and
 * each is paired with a question the same sentences do answer, so a rule that declines everything fails.
 */
const ARTICLES: Record<string, string> = {
  "kudiflow-round": `---
id: kudiflow-round
title: 'Kudiflow raises $62 million for merchant loans'
publisher: Lagos Ledger
published: '2025-06-11'
url: 'https://lagos-ledger.example/2025/06/kudiflow-round'
---
LAGOS — Kudiflow Technologies, a payments company that serves small retailers, has raised $62 million in a funding round, the company said on Wednesday.

The company also had to replace about 9,000 terminals last year after a supplier delivered a faulty batch, though its chief executive would not say how much the replacement cost.

It will hold meetings with merchants in August, but no dates have been announced.

Kudiflow reported revenue of $18.4 million for 2024.

Kudiflow did not say when in 2026 it would open its office in Abuja.
`,
  "storage-site": `---
id: storage-site
title: 'Second gas storage site shelved over cost'
publisher: Caucasus Wire
published: '2025-03-02'
url: 'https://caucasus-wire.example/2025/03/storage-site'
---
A plan for a second underground gas storage site was turned down by the government in 2021 because of its cost, estimated at the time at $300 million.

Under a separate fisheries agreement, Icelandic vessels may catch up to 30,000 tonnes of blue whiting next year, down from 35,000 tonnes in 2024.

Officials did not give a cost estimate for a new pipeline, though analysts put it at between $900 million and $1.6 billion.
`,
  "holdover-fires": `---
id: holdover-fires
title: 'Fires that survive the winter'
publisher: Prairie Post
published: '2025-05-02'
url: 'https://prairie-post.example/2025/05/holdover-fires'
---
Researchers identified 312 holdover fires in Alberta between 2001 and 2024, fires that survived the winter underground.
`,
  "museum-return": `---
id: museum-return
title: 'Antwerp museum returns masks to Congo'
publisher: Scheldt Courier
published: '2025-04-08'
url: 'https://scheldt-courier.example/2025/04/museum-return'
---
A museum in Antwerp on Tuesday handed 41 masks, carvings and ceremonial objects to a Congolese delegation.

After a one-on-one meeting with the curator, the delegation said the return had already enabled loans of objects to reach Kinshasa.
`,
  "border-steps": `---
id: border-steps
title: 'Erdogan promises symbolic steps on the border'
publisher: Anatolia Review
published: '2025-12-18'
url: 'https://anatolia-review.example/2025/12/border-steps'
---
Speaking to ambassadors in Ankara on December 16, Erdogan said that symbolic steps on the Armenian border will be taken from the beginning of next year.

The Margara crossing has been opened twice for humanitarian convoys.

The city council wants to hand the Gyumri depot to a private operator under a 35-year concession.
`,
  "cable-study": `---
id: cable-study
title: 'Undersea cable picks up whale calls'
publisher: Harbour Science
published: '2025-09-10'
url: 'https://harbour-science.example/2025/09/cable-study'
---
The recordings were made by Harbour Acoustics Institute researchers off the island of Vela.

The institute plans to publish a full analysis of the first year's data in a peer-reviewed journal later this year.
`,
  "kestrava-fund": `---
id: kestrava-fund
title: 'Kestrava Ventures opens an office in Accra'
publisher: Lagos Ledger
published: '2025-07-01'
url: 'https://lagos-ledger.example/2025/07/kestrava-fund'
---
Kestrava Ventures, a Lagos fund that backs payment start-ups, opened an office in Accra on Tuesday.
`,
};

describe("declining what the sentences do not state, answering what they do", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;

  beforeAll(async () => {
    dir = scratch({ corpus: false });
    mkdirSync(dir.corpusDir, { recursive: true });
    for (const [id, text] of Object.entries(ARTICLES)) writeFileSync(path.join(dir.corpusDir, `${id}.md`), text);
    // These are the threshold gate's filters; the fitted gate reads them as features of the model, weighed
    // by the fit (docs/evaluation.md), so each rule is checked where it decides on its own.
    core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir, ANSWER_GATE: "threshold" }), memoryLogger());
  });
  afterAll(async () => {
    await core.close();
    dir.cleanup();
  });

  const answers = async (question: string, fact: string) => {
    const a = await core.ask(question);
    expect(a.answered, question).toBe(true);
    expect(a.citations[0]?.quote, question).toContain(fact);
  };
  const declines = async (question: string) => {
    const a = await core.ask(question);
    expect(a.answered, `${question} → ${a.answer}`).toBe(false);
    expect(a.citations).toEqual([]);
  };

  it("does not answer about a name from an article that never names it", async () => {
    await declines("How much did Kestrava Ventures pay for the underground storage site?");
    await declines("how much did kestrava pay for the underground storage site");
    await answers("How much was the second underground storage site estimated to cost?", "$300 million");
  });

  it("does not answer with a sentence that says the fact was not given", async () => {
    await declines("How much did the replacement of Kudiflow's terminals cost?");
    await declines("On what dates will Kudiflow meet merchants?");
    await declines("When will Kudiflow open its office in Abuja?");
    await answers("How many terminals did Kudiflow have to replace?", "9,000 terminals");
    await answers("How much do analysts think the new pipeline will cost?", "$900 million");
  });

  it("does not count one thing for another", async () => {
    await declines("How many tonnes of mackerel may Icelandic vessels catch?");
    await answers("How many tonnes of blue whiting may Icelandic vessels catch?", "30,000 tonnes");
    // The figure has to count the thing: "one-on-one" counts no loans.
    await declines("How many loans of objects have reached Kinshasa?");
    await answers("How many objects did the Antwerp museum hand to the delegation?", "41 masks, carvings and ceremonial objects");
    // "How many times" is counted by the figure itself.
    await answers("How many times has the Margara crossing been opened?", "twice");
  });

  it("does not give a figure for another year than the one asked about", async () => {
    await declines("How much revenue did Kudiflow report for 2023?");
    await answers("How much revenue did Kudiflow report for 2024?", "$18.4 million");
  });

  it("does not give a figure from a sentence about other years, though the article is of the year asked about", async () => {
    await declines("How many holdover fires were there in Alberta in 2025?");
    await answers("How many holdover fires were there in Alberta between 2001 and 2024?", "312 holdover fires");
  });

  it("reads next year from the article's date, and the saying as the event only when a statement is asked about", async () => {
    await answers("How many tonnes of blue whiting may Icelandic vessels catch in 2026?", "30,000 tonnes");
    await declines("How many tonnes of blue whiting may Icelandic vessels catch in 2027?");
    await answers("On what date did Erdogan speak to the ambassadors?", "December 16");
    await declines("When did the border steps get taken?");
    await answers("How long would the concession for the Gyumri depot run?", "35-year concession");
  });

  it("does not answer what a thing is called with a sentence that names none", async () => {
    await declines("What is the name of the peer-reviewed journal that will publish the full analysis?");
    await answers("Which institute made the recordings off Vela?", "Harbour Acoustics Institute");
  });

  it("does not answer with a sentence that says nothing of what is asked beyond the article's topic", async () => {
    await declines("On what day did Kudiflow say it had been fined?");
    await answers("On what day did Kudiflow say it had raised $62 million?", "on Wednesday");
  });

  it("does not answer which company with a sentence that names none", async () => {
    await declines("Which bank backed the storage site?");
    await answers("Which fund opened an office in Accra?", "Kestrava Ventures");
  });

  it("does not answer who holds a post the article never speaks of", async () => {
    await declines("Who is the premier of Lagos?");
    await answers("Which company raised $62 million?", "Kudiflow");
  });

  it("does not answer chat that is no question, with a message saying so", async () => {
    for (const chat of ["ok cool", "Kudiflow", "good for the merchants 👏"]) {
      const a = await core.ask(chat);
      expect(a.answered, chat).toBe(false);
      expect(a.answer).toBe(NOT_A_QUESTION);
    }
    await answers("Kudiflow raised how much?", "$62 million");
    await answers("tell me how much Kudiflow raised", "$62 million");
  });
});
