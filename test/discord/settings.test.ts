import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { CHANNEL_ID, FakeDiscord, GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS, OTHER_CHANNEL_ID, type RestCall } from "../helpers/discord-server.js";

const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const MOD = "800000000000000500";
let user = 800000000000000600n;
const nextUser = () => String((user += 1n));

describe("/settings, against a fake Discord on 127.0.0.1", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let config: Config;
  let core: AnswerService;
  let bot: RunningBot;

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch();
    config = testConfig({
      CORPUS_DIR: dir.corpusDir,
      DATA_DIR: dir.dataDir,
      DISCORD_TOKEN: "fake-token",
      DISCORD_API_BASE: discord.apiBase,
      RATE_LIMIT_USER_PER_MIN: "5",
    });
    core = await openAnswerService(config, { log: memoryLogger().log });
    bot = await startBot({ config, core, log: memoryLogger().log });
  });
  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
    dir?.cleanup();
  });

  const settings = async (sub: string, options: Parameters<FakeDiscord["subcommand"]>[2] = {}, extra: { permissions?: string; userId?: string } = {}) => {
    const { token } = discord.subcommand("settings", sub, options, { permissions: MANAGE_GUILD, userId: MOD, ...extra });
    return (await discord.waitFor(callback(token))).body.data as { content: string; flags: number };
  };

  it("shows the defaults: every channel, no threads, public answers, the global limits", async () => {
    const shown = await settings("show");
    expect(shown.flags).toBe(64);
    expect(shown.content).toContain("Channels where I answer: all");
    expect(shown.content).toContain("Threads for `/ask` answers: off");
    expect(shown.content).toContain("Answers to `/ask`: public");
    expect(shown.content).toContain("Questions per user per minute: 5 (global cap 5)");
  });

  it("refuses a member without Manage Server, and changes nothing", async () => {
    const refused = await settings(
      "channels",
      { action: "add", channel: { channel: OTHER_CHANNEL_ID } },
      { permissions: MEMBER_PERMISSIONS, userId: nextUser() },
    );
    expect(refused).toMatchObject({ flags: 64, content: "Only moderators with the Manage Server permission can see or change these settings." });
    expect((await bot.deps.settings.get(GUILD_ID)).channels).toEqual([]);
    const show = await settings("show", {}, { permissions: MEMBER_PERMISSIONS });
    expect(show.content).toMatch(/^Only moderators/);
  });

  it("restricts answers to one channel: /ask elsewhere gets an ephemeral message naming it", async () => {
    const saved = await settings("channels", { action: "add", channel: { channel: OTHER_CHANNEL_ID } });
    expect(saved.content).toMatch(/^✅ Saved\./);
    expect(saved.content).toContain(`Channels where I answer: <#${OTHER_CHANNEL_ID}>`);
    const elsewhere = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: nextUser(), channelId: CHANNEL_ID });
    const refused = (await discord.waitFor(callback(elsewhere.token))).body;
    expect(refused.type).toBe(4);
    expect(refused.data).toMatchObject({ flags: 64, content: `On this server I only answer in <#${OTHER_CHANNEL_ID}>. Please ask there.` });
    const there = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: nextUser(), channelId: OTHER_CHANNEL_ID });
    expect((await discord.waitFor(original(there.token))).body.content).toContain("within the next six months");
  });

  it("logs who changed what, and shows it back", async () => {
    const shown = await settings("show");
    expect(shown.content).toMatch(new RegExp(`<t:\\d+:f> by <@${MOD}>: channels → <#${OTHER_CHANNEL_ID}>`));
    expect((await bot.deps.settings.log(GUILD_ID))[0]).toMatchObject({ userId: MOD, change: { channels: { from: [], to: [OTHER_CHANNEL_ID] } } });
  });

  it("keeps server rate limits within the global caps", async () => {
    const capped = await settings("rate-limit", { "per-user": 100 });
    expect(capped.content).toContain("Questions per user per minute: 5 (global cap 5)");
    await settings("rate-limit", { "per-user": 1 });
    const asker = nextUser();
    const first = discord.command("ask", { question: "Which company manages Armenia's railways?" }, { userId: asker, channelId: OTHER_CHANNEL_ID });
    await discord.waitFor(original(first.token));
    const second = discord.command("ask", { question: "Which company manages Armenia's railways?" }, { userId: asker, channelId: OTHER_CHANNEL_ID });
    const refused = (await discord.waitFor(callback(second.token))).body.data;
    expect(refused.flags).toBe(64);
    expect(refused.content).toMatch(/^You're asking faster than I can keep up/);
    await settings("rate-limit", { "per-user": 0 });
    expect((await bot.deps.settings.get(GUILD_ID)).userPerMin).toBeNull();
  });

  it("answers only to the asker when answers are set to only-you", async () => {
    await settings("answers", { visibility: "ephemeral" });
    const asked = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: nextUser(), channelId: OTHER_CHANNEL_ID });
    const deferred = (await discord.waitFor(callback(asked.token))).body;
    expect(deferred).toMatchObject({ type: 5, data: { flags: 64 } });
    expect((await discord.waitFor(original(asked.token))).body.content).toContain("within the next six months");
    await settings("answers", { visibility: "public" });
  });

  it("keeps the settings across a restart", async () => {
    await bot.stop();
    bot = await startBot({ config, core, log: memoryLogger().log });
    expect((await bot.deps.settings.get(GUILD_ID)).channels).toEqual([OTHER_CHANNEL_ID]);
    const elsewhere = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: nextUser(), channelId: CHANNEL_ID });
    expect((await discord.waitFor(callback(elsewhere.token))).body.data.content).toBe(
      `On this server I only answer in <#${OTHER_CHANNEL_ID}>. Please ask there.`,
    );
    const all = await settings("channels", { action: "all" });
    expect(all.content).toContain("Channels where I answer: all");
  });
});
