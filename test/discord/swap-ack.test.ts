import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { bigArticle } from "../helpers/big-article.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord, type RestCall } from "../helpers/discord-server.js";

const TOKEN = "fake-token-MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part";
const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How often a question arrives: interactions keep coming whatever the bot is doing. */
const ASK_EVERY_MS = 250;
/**
 * What users ask, in turn: names the 20 MB article uses (so each question looks them up in it), and
 * the question whose answer is known.
 */
const QUESTIONS = [
  "When could the Armenia–Turkey border reopen?",
  "What did Erdogan and Pashinyan discuss in Tianjin about the Kars–Gyumri railway?",
  "What did the Turkish Foreign Ministry say about Yerevan and Ankara?",
  "What did Nikol Pashinyan tell the UN General Assembly in New York?",
];
/** Questions asked once the new build is in: the first ones read the 20 MB article for the first time. */
const ASKED_AFTER_SWAP = 16;

/**
 * How long this process's main thread has waited for a core so far, in ms (Linux's schedstat: time on
 * a core, time runnable but waiting, slices). On a machine busy with other work that wait can be
 * seconds; it is the machine's doing, not the bot's, so an acknowledgement's time leaves it out.
 */
const waitedForCoreMs = (): number => {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  // Elsewhere than Linux the wait is not known: the acknowledgement's whole time counts.
  return existsSync(file) ? Number(readFileSync(file, "utf8").split(" ")[1]) / 1e6 : 0;
};

describe("answering while a build with a 20 MB article is switched in", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  let bot: RunningBot;

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch();
    const config = testConfig({
      CORPUS_DIR: dir.corpusDir,
      DATA_DIR: dir.dataDir,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: discord.apiBase,
      RATE_LIMIT_GUILD_PER_MIN: "100000",
    });
    const { log } = memoryLogger();
    core = await openAnswerService(config, { log });
    bot = await startBot({ config, core, log });
    await discord.identified;
  });
  afterAll(async () => {
    await bot?.stop();
    await core?.close();
    await discord?.stop();
    dir?.cleanup();
  });

  it("acknowledges every /ask within 1 s before, during and after the swap", async () => {
    // The bot's first interaction loads what every later one uses; this test is about the swap.
    const warm = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: "810000000099999999" });
    await discord.waitFor(original(warm.token), 60_000);
    writeFileSync(path.join(dir.corpusDir, "big-archive.md"), bigArticle(dir.corpusDir));
    let swapped = false;
    const rebuild = core.reindex().then((s) => ((swapped = true), s));
    const asked: Array<{ t0: number; token: string; afterSwap: boolean }> = [];
    const acks: Array<Promise<number>> = [];
    const answers: Array<Promise<RestCall>> = [];
    // Discord sends each interaction when it is due, whatever the bot is doing; the fake server shares the
    // bot's event loop, so one held up by the bot is sent late, and its wait counts from when it was due
    // (from the last reading of the main thread's wait for a core before then: a held-up loop takes none).
    const readings: Array<{ at: number; waited: number }> = [{ at: performance.now(), waited: waitedForCoreMs() }];
    const reading = setInterval(() => readings.push({ at: performance.now(), waited: waitedForCoreMs() }), 20);
    const start = performance.now();
    for (let i = 0, after = 0; after < ASKED_AFTER_SWAP; i++) {
      const due = start + i * ASK_EVERY_MS;
      await sleep(Math.max(0, due - performance.now()));
      const { token } = discord.command("ask", { question: QUESTIONS[i % QUESTIONS.length]! }, { userId: `8100000000${String(i).padStart(8, "0")}` });
      asked.push({ t0: due, token, afterSwap: swapped });
      const from = readings.findLast((r) => r.at <= due)!;
      acks.push(discord.waitFor(callback(token), 60_000).then(() => performance.now() - from.at - (waitedForCoreMs() - from.waited)));
      answers.push(discord.waitFor(original(token), 120_000));
      if (swapped) after += 1;
    }
    clearInterval(reading);
    const summary = await rebuild;
    expect(summary.added).toEqual(["big-archive"]);
    expect(core.info().passages).toBe(summary.passages);
    const times = await Promise.all(acks);
    for (const [i, answer] of (await Promise.all(answers)).entries()) {
      if (i % QUESTIONS.length === 0) expect(answer.body.content).toContain("within the next six months");
      else expect(String(answer.body.content).length).toBeGreaterThan(0);
    }
    expect(asked.filter((a) => a.afterSwap)).toHaveLength(ASKED_AFTER_SWAP);
    expect(Math.max(...times)).toBeLessThan(1000);
  }, 900_000);
});
