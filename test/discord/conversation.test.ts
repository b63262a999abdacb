import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { openState, type AppState } from "../../src/state/state.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { APP_ID, CHANNEL_ID, FakeDiscord, MANAGE_GUILD, OTHER_CHANNEL_ID, type RestCall } from "../helpers/discord-server.js";

const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const settle = () => new Promise((r) => setTimeout(r, 300));
/** Wait until `ok()` holds (the bot records a turn just after its reply is sent). */
async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
const KARS = readFileSync(path.join(REPO_CORPUS, "kars-gyumri-railway-talks.md"), "utf8");

describe("follow-up questions in threads, against a fake Discord on 127.0.0.1", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let config: Config;
  let core: AnswerService;
  let bot: RunningBot;
  let state: AppState;
  let logs: ReturnType<typeof memoryLogger>;
  let clock = Date.now();
  let thread = "";
  let firstAnswerId = "";

  /** The next message the bot posts in `channelId`, after everything so far. */
  const nextPost = (channelId: string) => {
    const after = discord.calls.length;
    return discord.waitFor((c) => c.method === "POST" && c.path === `/channels/${channelId}/messages` && discord.calls.indexOf(c) >= after);
  };

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch();
    config = testConfig({
      CORPUS_DIR: dir.corpusDir,
      DATA_DIR: dir.dataDir,
      DISCORD_TOKEN: "fake-token",
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_MENTIONS: "true",
      HISTORY_TURNS: "3",
      HISTORY_TTL_MIN: "60",
      RATE_LIMIT_USER_PER_MIN: "50",
    });
    logs = memoryLogger();
    core = await openAnswerService(config, { log: logs.log });
    state = openState(config, { now: () => clock });
    bot = await startBot({ config, core, log: logs.log, state });
  });
  afterAll(async () => {
    await bot?.stop();
    state?.close();
    await discord?.stop();
    dir?.cleanup();
  });

  it("opens a thread for an /ask answer when the server turned threads on", async () => {
    const on = discord.subcommand("settings", "threads", { enabled: true }, { permissions: MANAGE_GUILD, userId: "800000000000000700" });
    expect((await discord.waitFor(callback(on.token))).body.data.content).toContain("Threads for `/ask` answers: on");
    const asked = discord.command("ask", { question: "Which railway are Türkiye and Armenia holding talks on reopening?" }, { userId: "800000000000000701" });
    const edit = await discord.waitFor(original(asked.token));
    expect(edit.body.content).toContain("Kars–Gyumri");
    const opened = await discord.waitFor((c) => c.method === "POST" && /^\/channels\/\d+\/messages\/\d+\/threads$/.test(c.path));
    expect(opened.path).toBe(`/channels/${CHANNEL_ID}/messages/${edit.response.id}/threads`);
    expect(opened.body.name).toBe("Which railway are Türkiye and Armenia holding talks on reopening?");
    thread = opened.response.id;
    firstAnswerId = edit.response.id;
    await until(() => state.history.turns(thread).length === 1);
  });

  it("answers an elliptical follow-up mention in that thread from the right article, quoting it verbatim", async () => {
    const reply = nextPost(thread);
    discord.message(`<@${APP_ID}> and when did the talks take place?`, { channelId: thread, mentionsBot: true, userId: "800000000000000701" });
    const posted = await reply;
    expect(posted.body.message_reference).toBeDefined();
    expect(posted.body.allowed_mentions).toEqual({ parse: [] });
    expect(posted.body.content).toMatch(/`kars-gyumri-railway-talks#p\d+`/);
    expect(posted.body.content).toMatch(/^\*\*Q:\*\* and when did the talks take place\?\n/);
    await until(() => state.history.turns(thread).length === 2);
    const turns = state.history.turns(thread);
    const last = turns[1]!;
    expect(last).toMatchObject({ question: "and when did the talks take place?", answered: true });
    expect(last.query).not.toBe(last.question);
    expect(last.citations[0]!.articleId).toBe("kars-gyumri-railway-talks");
    for (const c of last.citations) expect(KARS).toContain(c.quote);
    // The follow-up was resolved against the first turn.
    await until(() => logs.lines().some((l) => l["msg"] === "discord: answered a mention" && l["followUp"] === true));
  });

  it("treats a reply to one of its answers the same way, without a mention", async () => {
    const reply = nextPost(thread);
    discord.message("Where did the officials meet?", { channelId: thread, replyTo: firstAnswerId, userId: "800000000000000702" });
    const posted = await reply;
    expect(posted.body.content).toMatch(/`kars-gyumri-railway-talks#p\d+`/);
    await until(() => state.history.turns(thread).length === 3);
    const last = state.history.turns(thread).at(-1)!;
    expect(last.question).toBe("Where did the officials meet?");
    expect(last.citations[0]!.articleId).toBe("kars-gyumri-railway-talks");
    for (const c of last.citations) expect(KARS).toContain(c.quote);
  });

  it("continues the conversation when /ask is used inside the thread", async () => {
    const asked = discord.command("ask", { question: "and where was that?" }, { userId: "800000000000000705", channelId: thread, parentId: CHANNEL_ID });
    const edit = await discord.waitFor(original(asked.token));
    expect(edit.body.content).toMatch(/^\*\*Q:\*\* and where was that\?\n/);
    expect(edit.body.content).toMatch(/`kars-gyumri-railway-talks#p\d+`/);
    await until(() => state.history.turns(thread).at(-1)?.question === "and where was that?");
    expect(discord.calls.filter((c) => c.path.endsWith("/threads"))).toHaveLength(1);
  });

  it("ignores a message in the thread that does not address the bot", async () => {
    const before = discord.calls.length;
    const turns = state.history.turns(thread);
    discord.message("Thanks, that is interesting. When did the talks take place?", { channelId: thread, userId: "800000000000000703" });
    await settle();
    expect(discord.calls.slice(before).filter((c) => c.method === "POST")).toEqual([]);
    expect(state.history.turns(thread)).toEqual(turns);
  });

  it("keeps at most HISTORY_TURNS turns of a thread", async () => {
    const reply = nextPost(thread);
    discord.message(`<@${APP_ID}> who led the delegations?`, { channelId: thread, mentionsBot: true, userId: "800000000000000701" });
    await reply;
    await until(() => state.history.turns(thread).at(-1)?.question === "who led the delegations?");
    const turns = state.history.turns(thread);
    expect(turns.map((t) => t.question)).toEqual(["Where did the officials meet?", "and where was that?", "who led the delegations?"]);
  });

  it("forgets the thread after HISTORY_TTL_MIN: a reply is then ignored and a mention is a new question", async () => {
    clock += 61 * 60_000;
    const before = discord.calls.length;
    discord.message("And when was that?", { channelId: thread, replyTo: firstAnswerId, userId: "800000000000000702" });
    await settle();
    expect(discord.calls.slice(before).filter((c) => c.method === "POST")).toEqual([]);
    expect(state.history.isBotThread(thread)).toBe(false);
    const reply = nextPost(thread);
    discord.message(`<@${APP_ID}> when could the Armenia–Turkey border reopen?`, { channelId: thread, mentionsBot: true, userId: "800000000000000701" });
    expect((await reply).body.content).toContain("within the next six months");
    const answered = () => logs.lines().filter((l) => l["msg"] === "discord: answered a mention");
    await until(() => answered().length === 4);
    expect(answered().at(-1)).toMatchObject({ followUp: false });
    expect(state.history.turns(thread)).toEqual([]);
  });

  it("answers a mention outside the server's channels with the channels it may use", async () => {
    const set = discord.subcommand(
      "settings",
      "channels",
      { action: "add", channel: { channel: OTHER_CHANNEL_ID } },
      { permissions: MANAGE_GUILD, userId: "800000000000000700" },
    );
    await discord.waitFor(callback(set.token));
    const reply = nextPost(CHANNEL_ID);
    discord.message(`<@${APP_ID}> when could the Armenia–Turkey border reopen?`, { mentionsBot: true, userId: "800000000000000706" });
    expect((await reply).body).toMatchObject({
      content: `On this server I only answer in <#${OTHER_CHANNEL_ID}>. Please ask there.`,
      allowed_mentions: { parse: [] },
    });
    const all = discord.subcommand("settings", "channels", { action: "all" }, { permissions: MANAGE_GUILD, userId: "800000000000000700" });
    await discord.waitFor(callback(all.token));
  });

  it("does not open threads in a server that did not ask for them", async () => {
    const off = discord.subcommand("settings", "threads", { enabled: false }, { permissions: MANAGE_GUILD, userId: "800000000000000700" });
    await discord.waitFor(callback(off.token));
    const before = discord.calls.length;
    const asked = discord.command("ask", { question: "Which company manages Armenia's railways?" }, { userId: "800000000000000704" });
    await discord.waitFor(original(asked.token));
    await settle();
    expect(discord.calls.slice(before).some((c) => c.path.endsWith("/threads"))).toBe(false);
  });

  it("answers a mention in a thread of its own with DISCORD_MENTION_THREADS, its buttons on the first message, and keeps the turn", async () => {
    await bot.stop();
    bot = await startBot({ config: { ...config, DISCORD_MENTION_THREADS: true }, core, log: logs.log, state });
    const asked = discord.message(`<@${APP_ID}> Which company manages Armenia's railways?`, { mentionsBot: true, userId: "800000000000000705" });
    const opened = await discord.waitFor((c) => c.method === "POST" && c.path === `/channels/${CHANNEL_ID}/messages/${asked}/threads`);
    expect(opened.body.name).toBe("Which company manages Armenia's railways?");
    const answer = await discord.waitFor((c) => c.method === "POST" && c.path === `/channels/${opened.response.id}/messages`);
    expect(answer.body.content).toContain("South Caucasian Railway CJSC");
    expect(answer.body.components[0].components[0].custom_id).toMatch(/^sources:/);
    await until(() => state.history.turns(opened.response.id).length === 1);
  });
});
