import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { bigArticle } from "../helpers/big-article.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord, MANAGE_GUILD, type RestCall } from "../helpers/discord-server.js";

const TOKEN = "fake-token-MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part";
const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("answering while the index rebuilds", () => {
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
      RATE_LIMIT_GUILD_PER_MIN: "1000",
    });
    const { log } = memoryLogger();
    core = await openAnswerService(config, { log });
    bot = await startBot({ config, core, log });
    await discord.identified;
  });
  afterAll(async () => {
    await bot?.stop();
    // Stops the rebuild that is still running: the build it started never becomes current.
    await core?.close();
    await discord?.stop();
    dir?.cleanup();
  });

  it("acknowledges every /ask within 1 s, and answers it from the current index, while a /reindex adds a 20 MB article", async () => {
    writeFileSync(path.join(dir.corpusDir, "big-archive.md"), bigArticle(dir.corpusDir));
    const before = core.info().builtAt;
    const rebuild = discord.command("reindex", {}, { permissions: MANAGE_GUILD, userId: "800000000000000100" });
    await discord.waitFor(callback(rebuild.token));
    await discord.waitFor((c) => original(rebuild.token)(c) && String(c.body.content).startsWith("⏳"));
    expect(core.reindexing).toBe(true);

    const acks: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const { token } = discord.command(
        "ask",
        { question: "When could the Armenia–Turkey border reopen?" },
        { userId: `8000000000000002${String(i).padStart(2, "0")}` },
      );
      const ack = await discord.waitFor(callback(token));
      acks.push(performance.now() - t0);
      expect(ack.body.type).toBe(5);
      const answer = await discord.waitFor(original(token));
      expect(answer.body.content).toContain("**Bloomberg:**");
      await sleep(100);
    }
    // The rebuild was running the whole time, so every question above was asked during it.
    expect(core.reindexing).toBe(true);
    expect(core.info().builtAt).toBe(before);
    expect(Math.max(...acks)).toBeLessThan(1000);
  });
});
