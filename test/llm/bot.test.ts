import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABSTAIN_TEXT } from "../../src/answer/extractive.js";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord, type RestCall } from "../helpers/discord-server.js";
import { FakeOpenAI } from "../helpers/openai-server.js";

const Q = "When could the Armenia–Turkey border reopen?";
const BLOOMBERG = "pashinyan-putin-railways#p13";
const QUOTE = "Turkey could reopen the border “within the next six months.”";
const reply = (answer: string, passageId: string, quote: string) => ({
  content: JSON.stringify({ answer, claims: [{ marker: 1, passageId, quote, source: "Bloomberg" }] }),
});

describe("LLM answers in Discord", () => {
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
      DISCORD_TOKEN: "fake-token-for-llm-tests",
      DISCORD_API_BASE: discord.apiBase,
      LLM_PROVIDER: "openai",
      LLM_BASE_URL: llm.baseUrl,
      LLM_MODEL: "fake",
      LLM_TIMEOUT_MS: "1000",
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

  const ask = async (): Promise<{ deferred: RestCall; content: string }> => {
    const { token } = discord.command("ask", { question: Q });
    const deferred = await discord.waitFor((c) => c.method === "POST" && c.path.endsWith(`/${token}/callback`));
    const edit = await discord.waitFor((c) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`));
    return { deferred, content: edit.body.content as string };
  };

  it.each([
    [
      "a correct answer",
      reply("Bloomberg says it could reopen within six months [1].", BLOOMBERG, QUOTE),
      "Bloomberg says it could reopen within six months \\[1\\]\\.",
      undefined,
    ],
    [
      "a fabricated quote",
      reply("It reopens next week [1].", BLOOMBERG, "Turkey will reopen the border next week"),
      undefined,
      "None of the language model's quotes could be verified",
    ],
    [
      "a quote cited to the wrong passage",
      reply("It could reopen within six months [1].", "kars-gyumri-railway-talks#p2", QUOTE),
      "It could reopen within six months \\[1\\]\\.",
      "Quotes checked against the articles: 0 exact, 1 repaired, 0 dropped\\.",
    ],
    [
      "a near-verbatim quote",
      reply("It could reopen [1].", BLOOMBERG, "Turkey could reopen its border within the next six months"),
      "It could reopen \\[1\\]\\.",
      "0 exact, 1 repaired",
    ],
    ["malformed JSON", { content: '{"answer": "x", "claims": [' }, undefined, "reply was unusable \\(malformed JSON"],
    ["a reply slower than the timeout", { content: "{}", delayMs: 20_000 }, undefined, "did not answer within 1 s"],
  ])("shows %s as a thinking reply edited into a verified answer", async (_name, scripted, prose, note) => {
    llm.queue(scripted);
    const { deferred, content } = await ask();
    expect(deferred.body.type).toBe(5); // "thinking…" while the model works
    // Discord shows markdown escapes without their backslashes.
    if (prose) expect(content.replace(/\\/g, "")).toMatch(new RegExp(prose));
    if (note) expect(content).toMatch(new RegExp(`-# [^\\n]*${note}`));
    // Whatever the model did, the quote shown is Bloomberg's, verbatim.
    expect(content).toContain("> **Bloomberg:** Turkey could reopen the border “within the next six months");
    expect(content).not.toContain("next week");
  });

  it.each([
    [
      "the model says the passages do not answer",
      { content: JSON.stringify({ answerable: false, reason: "They report talks, not a date.", answer: "", claims: [] }) },
      "The language model found that the passages do not answer the question: They report talks, not a date\\.",
    ],
    [
      "its verified quotes do not address the question",
      {
        content: JSON.stringify({
          answerable: true,
          reason: "",
          answer: "Pashinyan said the agenda for restoring other railway sections has matured [1].",
          claims: [
            {
              marker: 1,
              passageId: "pashinyan-putin-railways#p4",
              quote: "The agenda for restoring some other railway sections in our country has also matured.",
              source: "Pashinyan",
            },
          ],
        }),
      },
      "The language model's quotes do not address the question",
    ],
  ])("declines in Discord as the offline answerer does when %s", async (_name, scripted, note) => {
    llm.queue(scripted);
    const { content } = await ask();
    const shown = content.replace(/\\/g, "");
    expect(shown).toContain(ABSTAIN_TEXT);
    expect(shown).toContain("**May be related:**");
    expect(content).toMatch(new RegExp(`-# [^\\n]*${note}`));
    expect(content).not.toContain("> **");
    expect(shown).not.toContain("railway sections has matured [1]");
  });
});
