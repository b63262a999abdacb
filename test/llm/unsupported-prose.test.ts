import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/answer.js";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { MAX_PROSE_CHARS } from "../../src/llm/prose.js";
import { openAnswerService } from "../../src/service/answer-service.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { memoryLogger, REPO, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord } from "../helpers/discord-server.js";
import { FakeOpenAI } from "../helpers/openai-server.js";

const run = promisify(execFile);
const Q = "When could the Armenia–Turkey border reopen?";
const BLOOMBERG = "pashinyan-putin-railways#p13";
const QUOTE = "Turkey could reopen the border “within the next six months.”";
const GOOD = "Bloomberg reported that Turkey could reopen the border within six months [1].";
const reply = (answer: string) => ({ content: JSON.stringify({ answer, claims: [{ marker: 1, passageId: BLOOMBERG, quote: QUOTE, source: "Bloomberg" }] }) });

/** What a misbehaving model writes next to one real, verifiable quote; and the words that must never be shown. */
const FABRICATIONS: Array<[string, string, RegExp]> = [
  ["a claim that contradicts the quote", "Turkey has permanently sealed the border with Armenia, Bloomberg reported [1].", /sealed|permanently/],
  ["fake quotation marks", 'Bloomberg: "Turkey has permanently sealed the border with Armenia" [1].', /sealed|permanently/],
  ["a wrong attribution", "Putin said that Turkey could reopen the border within six months [1].", /Putin said/],
  ["a changed number", "Turkey could reopen the border within the next eight months [1].", /eight/],
  ["a flipped negation", "Turkey could not reopen the border within the next six months [1].", /could not/],
  // Every word of these is in the quote or its passage: only the claim differs (issue #24).
  ["a changed unit (years)", "Turkey could reopen the border within the next six years [1].", /six years/],
  ["a changed unit (weeks)", "Turkey could reopen the border within the next six weeks [1].", /six weeks/],
  ["a changed unit (days)", "Turkey could reopen the border within the next six days [1].", /six days/],
  ["a flipped direction (last)", "Turkey could reopen the border within the last six months [1].", /last six/],
  ["a flipped direction (only after)", "Turkey could reopen the border only after six months [1].", /only after/],
  ["a swapped actor the article names", "Armenia could reopen the border within the next six months [1].", /Armenia could/],
  ["a raised certainty", "Turkey would reopen the border within the next six months [1].", /would reopen/],
];
const SUPPORTED_NOTE = "None of the language model's sentences were supported by the quotes it cited; showing the extractive answer.";
const HUGE = `${GOOD} `.repeat(Math.ceil((2 * 1024 * 1024) / (GOOD.length + 1)));

describe("unsupported prose from a misbehaving model, through the CLI", () => {
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  let env: NodeJS.ProcessEnv;
  let answers: Answer[];
  let stdout: string;

  beforeAll(async () => {
    llm = new FakeOpenAI();
    await llm.start();
    dir = scratch({ corpus: false });
    for (const [, prose] of FABRICATIONS) llm.queue(reply(prose));
    llm.queue(reply(`${GOOD} ${FABRICATIONS[0]![1]}`), reply(HUGE));
    env = {
      ...process.env,
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      CACHE_DIR: TEST_CACHE_DIR,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake-model",
      LLM_TIMEOUT_MS: "10000",
      LOG_LEVEL: "silent",
    };
    const child = run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), "--json", "--stdin"], {
      cwd: REPO,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    child.child.stdin!.end(`${Array.from({ length: FABRICATIONS.length + 2 }, () => Q).join("\n")}\n`);
    stdout = (await child).stdout;
    answers = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Answer);
  });
  afterAll(async () => {
    await llm?.stop();
    dir?.cleanup();
  });

  it.each(FABRICATIONS.map(([name, prose, never], i) => [name, prose, never, i] as const))(
    "shows none of %s, and falls back to the extractive answer",
    (_name, prose, never, i) => {
      const a = answers[i]!;
      expect(a.note).toBe(SUPPORTED_NOTE);
      expect(a.answer).not.toMatch(never);
      expect(a.prose ?? "").not.toMatch(never);
      expect(a.verification!.notes.some((n) => n.startsWith("sentence removed from the answer, not supported by its quotes"))).toBe(true);
      expect(a.citations.some((c) => c.source === "Bloomberg" && c.quote.includes("within the next six months"))).toBe(true);
      expect(prose).toMatch(never);
    },
  );

  it("keeps the supported sentence of a reply that mixes one with a contradiction", () => {
    const a = answers[FABRICATIONS.length]!;
    expect(a.prose).toBe(GOOD);
    expect(a.note).toBe("Quotes checked against the articles: 1 exact, 0 repaired, 0 dropped; 1 sentence they do not support removed.");
    expect(a.answer).not.toMatch(/sealed/);
    expect(a.citations[0]).toMatchObject({ n: 1, source: "Bloomberg", quote: QUOTE });
  });

  it("cuts 2 MB of prose to MAX_PROSE_CHARS", () => {
    const a = answers[FABRICATIONS.length + 1]!;
    expect(HUGE.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(a.prose!.length).toBeLessThanOrEqual(MAX_PROSE_CHARS);
    expect(a.verification!.notes[0]).toMatch(/^prose cut from \d{7} to \d+ characters/);
    expect(stdout.length).toBeLessThan(50_000);
  });

  it("prints no unsupported sentence in the terminal either", async () => {
    llm.queue(reply(`${GOOD} ${FABRICATIONS[1]![1]}`));
    const { stdout: text } = await run(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/ask.ts"), Q], { cwd: REPO, env });
    expect(text).toContain(`${GOOD}\n\nBloomberg: ${QUOTE} [1]`);
    expect(text).not.toMatch(/sealed/);
  });
});

describe("unsupported prose from a misbehaving model, in Discord", () => {
  let discord: FakeDiscord;
  let llm: FakeOpenAI;
  let dir: ReturnType<typeof scratch>;
  let bot: RunningBot;

  beforeAll(async () => {
    [discord, llm] = [new FakeDiscord(), new FakeOpenAI()];
    await Promise.all([discord.start(), llm.start()]);
    dir = scratch({ corpus: false });
    const config = testConfig({
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      DISCORD_TOKEN: "fake-token-for-prose-tests",
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_MENTIONS: "true",
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake",
      LLM_TIMEOUT_MS: "10000",
      RATE_LIMIT_USER_PER_MIN: "100",
    });
    const { log } = memoryLogger();
    bot = await startBot({ config, core: await openAnswerService(config, { log }), log });
  });
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([discord?.stop(), llm?.stop()]);
    dir?.cleanup();
  });

  const askCommand = async (): Promise<string> => {
    const { token } = discord.command("ask", { question: Q });
    const edit = await discord.waitFor((c) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`));
    return discord
      .callsFor(token)
      .filter((c) => c.body?.content)
      .map((c) => c.body.content as string)
      .concat(edit.body.content as string)
      .join("\n");
  };

  it.each(FABRICATIONS)("shows none of %s in /ask", async (_name, prose, never) => {
    llm.queue(reply(prose));
    const content = await askCommand();
    expect(content).not.toMatch(never);
    expect(content).toContain("> **Bloomberg:** Turkey could reopen the border “within the next six months");
    expect(content).toContain("None of the language model's sentences were supported");
  });

  it("shows only the supported sentence of a mixed reply, and at most MAX_PROSE_CHARS of a 2 MB one", async () => {
    llm.queue(reply(`${GOOD} ${FABRICATIONS[1]![1]}`));
    const mixed = await askCommand();
    expect(mixed.replace(/\\/g, "")).toContain(GOOD);
    expect(mixed).not.toMatch(/sealed/);
    llm.queue(reply(HUGE));
    const huge = await askCommand();
    expect(huge.length).toBeLessThan(4000);
  });

  it("shows no unsupported sentence in a reply to a mention", async () => {
    llm.queue(reply(FABRICATIONS[0]![1]));
    const id = discord.message(`<@900000000000000001> ${Q}`, { mentionsBot: true });
    const sent = await discord.waitFor(
      (c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && c.body?.message_reference?.message_id === id,
    );
    expect(sent.body.content).not.toMatch(/sealed|permanently/);
    expect(sent.body.content).toContain("> **Bloomberg:** Turkey could reopen the border “within the next six months");
  });
});
