import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { shardOptions } from "../../src/discord/shards.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { runEntry, type EntryRun } from "../helpers/entry.js";
import { FakeDiscord, GUILD_ID, OTHER_GUILD_ID, shardOf, type RestCall } from "../helpers/discord-server.js";

const TOKEN = "fake-token-for-shard-tests";
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const QUESTION = "When could the Armenia–Turkey border reopen?";

describe("shard settings", () => {
  it("run Discord's recommended count in one process when neither is set", () => {
    expect(shardOptions({ SHARD_COUNT: undefined, SHARD_IDS: undefined })).toEqual({ shards: "auto" });
  });

  it("run every shard of SHARD_COUNT, or only the ids SHARD_IDS names", () => {
    expect(shardOptions({ SHARD_COUNT: 3, SHARD_IDS: undefined })).toEqual({ shards: [0, 1, 2], shardCount: 3 });
    expect(testConfig({ SHARD_COUNT: "8", SHARD_IDS: "6, 0-2,1" }).SHARD_IDS).toEqual([0, 1, 2, 6]);
    expect(shardOptions(testConfig({ SHARD_COUNT: "8", SHARD_IDS: "4-7" }))).toEqual({ shards: [4, 5, 6, 7], shardCount: 8 });
  });

  it("refuse SHARD_IDS without SHARD_COUNT, ids beyond it, and ids that are not numbers", () => {
    expect(() => shardOptions({ SHARD_COUNT: undefined, SHARD_IDS: [0] })).toThrow(/^config: SHARD_IDS needs SHARD_COUNT/);
    expect(() => shardOptions({ SHARD_COUNT: 2, SHARD_IDS: [1, 2, 3] })).toThrow("config: SHARD_IDS names shard 2, 3, but SHARD_COUNT=2 has shards 0–1");
    expect(() => testConfig({ SHARD_IDS: "one" })).toThrow(/^config: SHARD_IDS="one" is invalid: expected shard ids and ranges/);
  });
});

describe("a bot running two shards in one process (shards: 'auto')", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  let bot: RunningBot;

  beforeAll(async () => {
    expect(shardOf(GUILD_ID, 2)).not.toBe(shardOf(OTHER_GUILD_ID, 2));
    discord = new FakeDiscord({ guilds: [GUILD_ID, OTHER_GUILD_ID], recommendedShards: 2 });
    await discord.start();
    dir = scratch({ corpus: false });
    const config = testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir, DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase });
    const { log } = memoryLogger();
    core = await openAnswerService(config, { log });
    bot = await startBot({ config, core, log });
  });
  afterAll(async () => {
    await bot?.stop();
    await core?.close();
    await discord?.stop();
    dir?.cleanup();
  });

  it("identifies each shard Discord recommends, and sees every server once ready", () => {
    expect(discord.identifies.map((d) => d.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([...bot.client.guilds.cache.keys()].sort()).toEqual([GUILD_ID, OTHER_GUILD_ID].sort());
  });

  it("answers /ask and its Sources button in a server of each shard", async () => {
    for (const guildId of [GUILD_ID, OTHER_GUILD_ID]) {
      const { token } = discord.command("ask", { question: QUESTION }, { guildId, userId: `80000000000000${guildId.slice(-4)}` });
      const edit = await discord.waitFor(original(token), 30_000);
      expect(String(edit.body.content)).toContain("**Bloomberg:**");
      const sources = discord.button(edit.body.components[0].components[0].custom_id, { content: edit.body.content }, { guildId });
      const shown = await discord.waitFor((c) => c.method === "POST" && c.path.endsWith(`/${sources.token}/callback`));
      expect(shown.body.data.content).toContain("**`pashinyan-putin-railways#p13`**");
    }
  });
});

describe("two bot processes splitting the shards with SHARD_IDS", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  const bots: EntryRun[] = [];

  beforeAll(async () => {
    discord = new FakeDiscord({ guilds: [GUILD_ID, OTHER_GUILD_ID] });
    await discord.start();
    dir = scratch({ corpus: false });
    // Build the index once, so the two processes open it rather than both building it.
    const core = await openAnswerService(testConfig({ CORPUS_DIR: REPO_CORPUS, DATA_DIR: dir.dataDir }), memoryLogger());
    await core.close();
    const env = {
      ...process.env,
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      CACHE_DIR: TEST_CACHE_DIR,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: discord.apiBase,
      LOG_LEVEL: "info",
      CI: "true",
      SHARD_COUNT: "2",
    };
    for (const ids of ["0", "1"]) bots.push(runEntry("src/discord/main.ts", [], { ...env, SHARD_IDS: ids }));
    await Promise.all(bots.map((b) => b.logged('"msg":"discord: ready"')));
  }, 360_000);
  afterAll(async () => {
    for (const b of bots) b.stop();
    await Promise.all(bots.map((b) => b.done));
    await discord?.stop();
    dir?.cleanup();
  });

  it("each identifies only its own shard, and answers only its own servers' interactions", async () => {
    expect(discord.identifies.map((d) => d.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const asked: Array<{ id: string; guildId: string }> = [];
    for (const guildId of [GUILD_ID, OTHER_GUILD_ID, GUILD_ID, OTHER_GUILD_ID]) {
      const { id, token } = discord.command("ask", { question: QUESTION }, { guildId, userId: `80000000000001${asked.length}` });
      expect(String((await discord.waitFor(original(token), 30_000)).body.content)).toContain("**Bloomberg:**");
      asked.push({ id, guildId });
    }
    // Both answered; the answer to each interaction came from the process that runs its server's shard, and only from it.
    const [shard0, shard1] = await Promise.all(bots.map(async (b) => (b.stop(), (await b.done).stderr)));
    for (const { id, guildId } of asked) {
      const owner = shardOf(guildId, 2) === 0 ? shard0! : shard1!;
      const other = owner === shard0 ? shard1! : shard0!;
      expect(owner).toContain(`"interaction":"${id}"`);
      expect(other).not.toContain(`"interaction":"${id}"`);
    }
  }, 120_000);
});
