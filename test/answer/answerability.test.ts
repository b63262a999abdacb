import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibrated, committedModel, FEATURES, featureVector, gateInput, logit, parseModel, sigmoid, type Features } from "../../src/answer/answerability.js";
import { tracing, type Answerer, type EvidenceTrace } from "../../src/answer/answerer.js";
import { sharedBridges } from "../../src/lexicon/bridges.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";

const ARTICLES: Record<string, string> = {
  "harbour-bridge": `---
id: harbour-bridge
title: 'Harbour bridge to reopen after repairs'
publisher: Coast Ledger
published: '2025-10-02'
url: 'https://coast-ledger.example/2025/10/harbour-bridge'
---
Mayor Ingrid Solberg announced the repair plan on Tuesday.

The bridge will reopen on March 3, “once the last inspection is complete,” Solberg said.

She said the city had called off a planned fare rise for the ferry that replaces the bridge.

Engineers from Türkiye helped design the new bearings, which cost 4.2 million euros.
`,
  "grain-port": `---
id: grain-port
title: 'Grain terminal handed over to port authority'
publisher: Delta Wire
published: '2025-09-14'
---
The operator handed over the grain terminal to the port authority on Friday.

Officials in Moscow said Russian wheat exports through the terminal rose 12% this year.
`,
};

describe("answering with the fitted answerability model and the bridges", () => {
  let dir: ReturnType<typeof scratch>;
  const services: AnswerService[] = [];
  let last: EvidenceTrace[] = [];
  const open = async (gate: string, opts: { trace?: boolean } = {}) => {
    const s = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: path.join(dir.dataDir, gate), ANSWER_GATE: gate }), {
      ...memoryLogger(),
      ...(opts.trace ? { answerer: (inner: Answerer) => tracing(inner, (t) => (last = t)) } : {}),
    });
    services.push(s);
    return s;
  };

  beforeAll(() => {
    dir = scratch({ corpus: false });
    mkdirSync(dir.corpusDir, { recursive: true });
    for (const [id, text] of Object.entries(ARTICLES)) writeFileSync(path.join(dir.corpusDir, `${id}.md`), text);
  });
  afterAll(async () => {
    for (const s of services) await s.close();
    dir.cleanup();
  });

  it("loads the committed model, whose features are the ones the code computes", () => {
    const m = committedModel();
    expect(m.features).toEqual([...FEATURES]);
    expect(m.ranker.weights).toHaveLength(FEATURES.length);
    expect(m.gate.weights).toHaveLength(FEATURES.length + 1);
    expect(m.fitted.on.every((f) => !/heldout/.test(f))).toBe(true);
    expect(() => parseModel({ ...m, features: [...FEATURES].reverse() })).toThrow(/not the ones this code computes/);
  });

  it("uses the fitted weights: the answer's confidence is the gate's calibrated probability for the sentence it leads with", async () => {
    const s = await open("fitted", { trace: true });
    const a = await s.ask("When will the harbour bridge reopen?");
    const m = committedModel();
    const ranked = last.map((c) => ({ c, z: logit(m.ranker, featureVector(c.features as Features)) })).sort((x, y) => y.z - x.z);
    const top = ranked[0]!;
    const p = sigmoid(logit(m.gate, gateInput(top.c.features as Features, top.z)));
    expect(a.answered).toBe(p >= m.gate.threshold);
    expect(a.confidence).toBeCloseTo(a.answered ? calibrated(m, p) : 0, 3);
    if (a.answered) expect(a.citations[0]!.quote).toContain("March 3");
  });

  it("quotes the whole sentence when the asked fact lies outside the quotation marks", async () => {
    const s = await open("threshold");
    const a = await s.ask("When will the harbour bridge reopen?");
    expect(a.answered).toBe(true);
    const c = a.citations[0]!;
    expect(c.quote).toContain("March 3");
    expect(c.quote).toContain("once the last inspection is complete");
    expect(c.source).toBe("Solberg");
  });

  it("resolves a pronoun speaker to the person named before", async () => {
    const s = await open("threshold");
    const a = await s.ask("What did the city call off for the ferry?");
    expect(a.answered).toBe(true);
    expect(a.citations[0]!.quote).toContain("called off a planned fare rise");
    expect(a.citations[0]!.source).toBe("Solberg");
  });

  it("bridges a phrasal verb, a capital, a demonym and an accent to the article's words", async () => {
    expect(
      sharedBridges()
        .from(["call", "off"], "v")
        .map((b) => b.terms.join(" ")),
    ).toContain("cancel");
    expect(
      sharedBridges()
        .from(["Moscow"], undefined, { countriesOnly: true })
        .map((b) => b.terms.join(" ")),
    ).toContain("russia");
    const s = await open("threshold");
    const cancel = await s.ask("Which fare rise was cancelled for the ferry?");
    expect(cancel.citations[0]?.quote).toContain("called off");
    const accent = await s.ask("Which country did the bearing engineers come from, Turkiye?");
    expect(accent.citations[0]?.quote).toContain("Türkiye");
  });

  it("declines a when-question whose sentences give no date but the day something was said", async () => {
    const s = await open("threshold");
    expect((await s.ask("When were the new bearings designed?")).answered).toBe(false);
    const plan = await s.ask("What cost 4.2 million euros?");
    expect(plan.answered).toBe(true);
    expect(plan.citations[0]!.quote).toContain("new bearings");
  });
});

describe("questions with invisible characters, controls or no words", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  beforeAll(async () => {
    dir = scratch({ corpus: false });
    core = await openAnswerService(testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir }), memoryLogger());
  });
  afterAll(async () => {
    await core.close();
    dir.cleanup();
  });

  it("answers a question with zero-width, bidi and NUL characters as it answers the clean one", async () => {
    const clean = await core.ask("When could the Armenia–Turkey border reopen?");
    const dirty = await core.ask("When\u200b could the\u202e Armenia\u2066–Turkey\u2069 border\u0000 reopen?\ufeff");
    expect(dirty.question).toBe("When could the Armenia–Turkey border reopen?");
    expect(dirty.answered).toBe(clean.answered);
    expect(dirty.confidence).toBe(clean.confidence);
    expect(dirty.citations.map((c) => c.quote)).toEqual(clean.citations.map((c) => c.quote));
  });

  it("gives a mention alone, or only punctuation, no cited answer", async () => {
    for (const q of ["@everyone", "<@123456789012345678>", "@here ?!", "\u0000\u200b"]) {
      const a = await core.ask(q);
      expect(a.answered, q).toBe(false);
      expect(a.citations, q).toEqual([]);
    }
  });
});
