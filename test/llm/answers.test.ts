import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/answer.js";
import { loadCorpus } from "../../src/corpus/load.js";
import { PROMPT_VERSION } from "../../src/llm/prompts.js";
import { REPO, REPO_CORPUS, scratch } from "../helpers/core.js";
import { FakeOpenAI } from "../helpers/openai-server.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const run = promisify(execFile);
const Q = "When could the Armenia–Turkey border reopen?";
const BLOOMBERG = "pashinyan-putin-railways#p13";
const reply = (answer: string, claims: Array<{ marker: number; passageId: string; quote: string; source?: string }>) => ({
  content: JSON.stringify({ answer, claims }),
});

describe("LLM answers through the CLI, against a local OpenAI-compatible server", () => {
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  let answers: Answer[];
  let env: NodeJS.ProcessEnv;
  const bodies = new Map<string, string>();

  beforeAll(async () => {
    llm = new FakeOpenAI();
    await llm.start();
    dir = scratch({ corpus: false });
    for (const a of (await loadCorpus(REPO_CORPUS)).articles) bodies.set(a.id, a.body);
    llm.queue(
      // 1. a correct answer
      reply("Bloomberg reported that Turkey could reopen the border within six months [1].", [
        { marker: 1, passageId: BLOOMBERG, quote: "Turkey could reopen the border “within the next six months.”", source: "Bloomberg" },
      ]),
      // 2. a fabricated quote
      reply("Officials confirmed a reopening next week [1].", [
        { marker: 1, passageId: BLOOMBERG, quote: "Turkey will reopen the border next week, officials confirmed", source: "Bloomberg" },
      ]),
      // 3. a real quote attributed to the wrong passage, plus a marker for nothing
      reply("Turkey could reopen the border [2], within six months [7].", [
        { marker: 2, passageId: "kars-gyumri-railway-talks#p2", quote: "Turkey could reopen the border “within the next six months.”", source: "Bloomberg" },
      ]),
      // 4. a near-verbatim quote
      reply("It could reopen soon [1].", [
        { marker: 1, passageId: BLOOMBERG, quote: 'Turkey could reopen its border "within the next six months"', source: "Bloomberg" },
      ]),
      // 5. malformed JSON
      { content: '{"answer": "The border could reopen [1]", "claims": [{"marker": 1, "passageId": ' },
      // 6. slower than the timeout
      { content: JSON.stringify({ answer: "late", claims: [] }), delayMs: 30_000 },
    );
    env = {
      ...process.env,
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      CACHE_DIR: TEST_CACHE_DIR,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "1500",
      LOG_LEVEL: "silent",
    };
    const child = run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), "--json", "--stdin"], { cwd: REPO, env });
    child.child.stdin!.end(`${Array.from({ length: 6 }, () => Q).join("\n")}\n`);
    const { stdout } = await child;
    answers = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Answer);
  });
  afterAll(async () => {
    await llm.stop();
    dir.cleanup();
  });

  const verbatim = (a: Answer) => a.citations.every((c) => bodies.get(c.articleId)!.slice(c.start, c.end) === c.quote);

  it("shows a correct answer's prose and its verified quote", () => {
    const a = answers[0]!;
    expect(a.answered).toBe(true);
    expect(a.prose).toBe("Bloomberg reported that Turkey could reopen the border within six months [1].");
    expect(a.citations).toHaveLength(1);
    expect(a.citations[0]).toMatchObject({
      n: 1,
      source: "Bloomberg",
      passageId: BLOOMBERG,
      quote: "Turkey could reopen the border “within the next six months.”",
    });
    expect(a.verification).toMatchObject({ kept: 1, repaired: 0, dropped: 0 });
    expect(verbatim(a)).toBe(true);
  });

  it("drops a fabricated quote and falls back to the extractive answer", () => {
    const a = answers[1]!;
    expect(a.verification).toMatchObject({ kept: 0, repaired: 0, dropped: 1 });
    expect(a.note).toMatch(/could be verified.*extractive answer/);
    expect(a.answer).not.toContain("next week");
    expect(a.citations.some((c) => c.source === "Bloomberg")).toBe(true);
    expect(verbatim(a)).toBe(true);
  });

  it("re-attributes a quote to the passage that holds it and renumbers the markers", () => {
    const a = answers[2]!;
    expect(a.verification).toMatchObject({ kept: 0, repaired: 1, dropped: 0 });
    expect(a.verification!.notes[0]).toMatch(/quote is from pashinyan-putin-railways#p13, not kars-gyumri-railway-talks#p2/);
    expect(a.citations[0]).toMatchObject({ n: 1, passageId: BLOOMBERG });
    expect(a.prose).toBe("Turkey could reopen the border [1], within six months.");
    expect(verbatim(a)).toBe(true);
  });

  it("replaces a near-verbatim quote with the exact corpus text", () => {
    const a = answers[3]!;
    expect(a.verification).toMatchObject({ kept: 0, repaired: 1, dropped: 0 });
    expect(a.citations[0]!.quote).toContain("Turkey could reopen the border “within the next six months");
    expect(verbatim(a)).toBe(true);
  });

  it("falls back with a note when the reply is malformed JSON", () => {
    const a = answers[4]!;
    expect(a.note).toMatch(/^The language model's reply was unusable \(malformed JSON/);
    expect(a.citations.some((c) => c.source === "Bloomberg")).toBe(true);
  });

  it("does not wait for a model slower than LLM_TIMEOUT_MS", () => {
    const a = answers[5]!;
    expect(a.note).toBe("The language model did not answer within 1.5 s; showing the extractive answer.");
    expect(a.answered).toBe(true);
    expect(verbatim(a)).toBe(true);
  });

  it("sent the question and passages delimited, with ids, under the versioned prompts", () => {
    const first = llm.requests[0]!;
    expect(first.model).toBe("fake-model");
    expect(first.messages[0]).toMatchObject({ role: "system" });
    expect(first.messages[0]!.content).toBe(readFileSync(path.join(REPO, `prompts/answer-system.${PROMPT_VERSION}.md`), "utf8").trim());
    const user = first.messages[1]!.content;
    expect(user).toContain(`<question>\n${Q}\n</question>`);
    expect(user).toContain(`<passage id="${BLOOMBERG}"`);
  });

  it("answers a question given as an argument with `ask --json`", async () => {
    llm.queue(
      reply("It could reopen within six months [1].", [
        { marker: 1, passageId: "kars-gyumri-railway-talks#p2", quote: "Turkey could reopen the border “within the next six months.”", source: "Bloomberg" },
      ]),
    );
    const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), "--json", Q], { cwd: REPO, env });
    const a = JSON.parse(stdout) as Answer;
    expect(a).toMatchObject({
      question: Q,
      answered: true,
      prose: "It could reopen within six months [1].",
      verification: { kept: 0, repaired: 1, dropped: 0 },
    });
    expect(a.citations).toEqual([expect.objectContaining({ n: 1, source: "Bloomberg", passageId: BLOOMBERG })]);
    expect(verbatim(a)).toBe(true);
  });

  it("prints the prose, the verified quotes, the note and the references in the terminal", async () => {
    llm.queue(
      reply("It could reopen soon [1]. It opens next week [2].", [
        { marker: 1, passageId: BLOOMBERG, quote: "Turkey could reopen its border within the next six months", source: "Bloomberg" },
        { marker: 2, passageId: BLOOMBERG, quote: "Turkey will open the border next week", source: "Bloomberg" },
      ]),
    );
    const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), Q], { cwd: REPO, env });
    expect(stdout).toContain("It could reopen soon [1].\n\nBloomberg: Turkey could reopen the border “within the next six months.” [1]");
    expect(stdout).toContain("Note: Quotes checked against the articles: 0 exact, 1 repaired, 1 dropped.");
    expect(stdout).toMatch(/References:\n\[1\] .*\(passage pashinyan-putin-railways#p13, chars \d+–\d+\)/);
    expect(stdout).not.toContain("next week");
  });
});
