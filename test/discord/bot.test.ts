import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { CLOSEST_LABEL } from "../../src/answer/format.js";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { openState } from "../../src/state/state.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";
import { APP_ID, FakeDiscord, GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS, type RestCall } from "../helpers/discord-server.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const TOKEN = "fake-token-MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part";
const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const followUps = (discord: FakeDiscord, token: string) => discord.calls.filter((c) => c.method === "POST" && c.path === `/webhooks/${APP_ID}/${token}`);
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("the Discord bot, against a fake Discord on 127.0.0.1", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let config: Config;
  let core: AnswerService;
  let bot: RunningBot;
  let logs: ReturnType<typeof memoryLogger>;

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch();
    config = testConfig({
      CORPUS_DIR: dir.corpusDir,
      DATA_DIR: dir.dataDir,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_MENTIONS: "true",
      RATE_LIMIT_USER_PER_MIN: "5",
      ANSWER_MAX_CITATIONS: "10",
      // The threshold gate quotes every sentence near the best one, which the message-splitting test needs
      // (the fitted gate, fitted to lead with one sentence, rarely adds a second).
      ANSWER_GATE: "threshold",
    });
    logs = memoryLogger();
    core = await openAnswerService(config, { log: logs.log });
    bot = await startBot({ config, core, log: logs.log });
  });
  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
    dir?.cleanup();
  });

  it("logs in through DISCORD_API_BASE and identifies without the Message Content intent unless mentions are on", async () => {
    const identify = await discord.identified;
    expect(identify.token).toBe(TOKEN);
    expect(discord.calls.some((c) => c.path === "/gateway/bot")).toBe(true);
    expect(bot.client.guilds.cache.has(GUILD_ID)).toBe(true);
    expect(identify.intents & (1 << 15)).toBe(1 << 15); // MessageContent, because this test turns mentions on
  });

  it("answers /ask with the quote, its source and a reference, after deferring", async () => {
    const { token } = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: "800000000000000002" });
    const deferred = await discord.waitFor(callback(token));
    expect(deferred.body.type).toBe(5);
    const edit = await discord.waitFor(original(token));
    expect(edit.body.content).toContain("> **Bloomberg:** Turkey could reopen the border “within the next six months.” [1]");
    expect(edit.body.content).toMatch(
      /\[1\] Armenian Prime Minister Nikol Pashinyan met with Russian President Vladimir Putin on Monday during… · `pashinyan-putin-railways#p13`/,
    );
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    const ids = edit.body.components[0].components.map((c: { custom_id: string }) => c.custom_id);
    expect(ids[0]).toMatch(/^sources:/);
    expect(ids.slice(1)).toEqual([expect.stringMatching(/^vote:.+:up$/), expect.stringMatching(/^vote:.+:down$/)]);
  });

  it("says plainly when the articles cannot answer", async () => {
    const { token } = discord.command("ask", { question: "Who won the 2024 Armenian football league?" }, { userId: "800000000000000003" });
    const edit = await discord.waitFor(original(token));
    const content = edit.body.content as string;
    expect(content).toContain("I couldn't find an answer to that in the articles I have.");
    // The sentence that came closest is quoted only under a label saying it does not answer.
    const label = content.indexOf(`**${CLOSEST_LABEL}:**`);
    expect(label).toBeGreaterThan(0);
    expect(content.indexOf("> **")).toBeGreaterThan(label);
  });

  it("splits a long answer between citations, every message within 2,000 characters", async () => {
    const { token } = discord.command(
      "ask",
      { question: "What did Putin and Pashinyan say about railways, trade, energy and the border with Turkey?" },
      { userId: "800000000000000004" },
    );
    const edit = await discord.waitFor(original(token));
    await settle();
    const messages = [edit.body.content as string, ...followUps(discord, token).map((c) => c.body.content as string)];
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(2000);
    const citations = messages
      .join("\n\n")
      .split("\n\n")
      .filter((b) => b.startsWith("> **"));
    // Each citation block is whole: its quote line and its reference line in the same message.
    for (const m of messages) for (const block of m.split("\n\n").filter((b) => b.startsWith("> **"))) expect(block).toMatch(/\[\d+\]\n-# \[\d+\] /);
    expect(citations.length).toBeGreaterThan(1);
  });

  it("never pings, even when the question says @everyone", async () => {
    const { token } = discord.command("ask", { question: "@everyone <@123> when could the border reopen?" }, { userId: "800000000000000005" });
    const edit = await discord.waitFor(original(token));
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    // Mentions are no words of the question: it is echoed and answered without them.
    expect(edit.body.content).toContain("**Q:** when could the border reopen?");
    expect(edit.body.content).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(edit.body.content).not.toContain("<@123>");
  });

  it("shows a passage in context with /cite, and says so for an unknown id", async () => {
    const good = discord.command("cite", { id: "pashinyan-putin-railways#p13.s2" });
    const reply = await discord.waitFor(callback(good.token));
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.content).toContain(
      "**Turkey could reopen the border “within the next six months.”**".replace("Turkey", "Bloomberg reported earlier this month that Turkey"),
    );
    expect(reply.body.data.content).toContain("`pashinyan-putin-railways#p13`");
    expect(reply.body.data.allowed_mentions).toEqual({ parse: [] });
    const bad = discord.command("cite", { id: "no-such-article#p9" });
    const notFound = await discord.waitFor(callback(bad.token));
    expect(notFound.body.data.flags).toBe(64);
    expect(notFound.body.data.content).toMatch(/^No passage with id `no-such-article#p9` was found/);
  });

  it("autocompletes passage ids", async () => {
    const { token } = discord.autocomplete("cite", "id", "kars-gyumri-railway-talks#p1");
    const choices = await discord.waitFor(callback(token));
    expect(choices.body.type).toBe(8);
    expect(choices.body.data.choices.map((c: { value: string }) => c.value)).toEqual(
      expect.arrayContaining(["kars-gyumri-railway-talks#p1", "kars-gyumri-railway-talks#p10"]),
    );
  });

  it("verifies quotes: verbatim, near and absent", async () => {
    const verbatim = discord.command("verify", { quote: 'Turkey could reopen the border "within the next six months."' });
    expect((await discord.waitFor(callback(verbatim.token))).body.data.content).toMatch(
      /^✅ \*\*Found verbatim\*\* in 1 place[^]*`pashinyan-putin-railways#p13` · characters 2750–28\d\d/,
    );
    const near = discord.command("verify", { quote: "Turkey might reopen the border within the next nine months" });
    const nearText = (await discord.waitFor(callback(near.token))).body.data.content as string;
    expect(nearText).toMatch(/^🟡 \*\*Not verbatim, but close\*\* \(similarity \d+%\)/);
    expect(nearText).toContain("Words not in the source: might, nine");
    expect(nearText).toContain("Words in the source, not in your text: could, six");
    const absent = discord.command("verify", { quote: "The moon is made of green cheese" });
    expect((await discord.waitFor(callback(absent.token))).body.data.content).toMatch(/^❌ \*\*Not found\*\*/);
  });

  it("lists the sources with passage counts and the build time", async () => {
    const { token } = discord.command("sources");
    const content = (await discord.waitFor(callback(token))).body.data.content as string;
    expect(content).toMatch(/^\*\*2 articles, 32 passages\*\* · index built <t:\d+:f>/);
    expect(content).toContain("**Türkiye, Armenia hold second round of talks on reopening Kars–Gyumri railway** — Türkiye Today, 2025-11-29 · 16 passages");
  });

  it("refuses /reindex to a member without Manage Server, and rebuilds nothing", async () => {
    const before = core.info().builtAt;
    const { token } = discord.command("reindex", {}, { permissions: MEMBER_PERMISSIONS });
    const reply = await discord.waitFor(callback(token));
    expect(reply.body.data).toMatchObject({ flags: 64, content: "Only moderators with the Manage Server permission can rebuild the index." });
    expect(core.info().builtAt).toBe(before);
  });

  it("rebuilds for a moderator with progress edits, and refuses a second rebuild meanwhile", async () => {
    const { appendFileSync } = await import("node:fs");
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nA closing paragraph added for the reindex test.\n");
    const first = discord.command("reindex", {}, { permissions: MANAGE_GUILD, userId: "800000000000000007" });
    await discord.waitFor(callback(first.token));
    const second = discord.command("reindex", {}, { permissions: MANAGE_GUILD, userId: "800000000000000008" });
    const refused = await discord.waitFor(callback(second.token));
    expect(refused.body.data.content).toMatch(/^A rebuild is already running/);
    const summary = await discord.waitFor((c) => original(first.token)(c) && String(c.body.content).startsWith("✅"));
    expect(summary.body.content).toMatch(
      /Index rebuilt\*\* in [\d.]+ s: 2 articles, 33 passages \(17 embedded\)\.\nAdded: none\nChanged: `kars-gyumri-railway-talks`\nRemoved: none/,
    );
    const progress = discord.callsFor(first.token).filter((c) => c.method === "PATCH" && String(c.body.content).startsWith("⏳"));
    expect(progress.length).toBeGreaterThan(0);
  });

  it("limits how fast one user can ask, with a clear ephemeral message", async () => {
    const userId = "800000000000000009";
    const tokens = Array.from({ length: 6 }, () => discord.command("ask", { question: "Since when has the border been closed?" }, { userId }).token);
    const last = await discord.waitFor(callback(tokens[5]!));
    expect(last.body.data).toMatchObject({ flags: 64 });
    expect(last.body.data.content).toMatch(/^You're asking faster than I can keep up\. Please try again in \d+ s\.$/);
  });

  it("survives a failing handler with an error id in the reply and the logs, then answers the next command", async () => {
    rmSync(dir.corpusDir, { recursive: true, force: true });
    const broken = discord.command("reindex", {}, { permissions: MANAGE_GUILD });
    const failed = await discord.waitFor(
      (c) =>
        c.method === "POST" &&
        c.path === `/webhooks/${APP_ID}/${broken.token}` &&
        String(c.body?.content).startsWith("The rebuild failed: ENOENT: no such file or directory"),
    );
    expect(failed.body.flags).toBe(64);
    // The public "thinking…" placeholder is removed, so the error is only shown to the moderator.
    expect(discord.callsFor(broken.token).some((c) => c.method === "DELETE" && c.path.endsWith("/messages/@original"))).toBe(true);
    const id = /error id `([0-9a-f]{8})`/.exec(failed.body.content)![1];
    expect(logs.lines().some((l) => l["errorId"] === id && l["level"] === 50)).toBe(true);
    const next = discord.command("ask", { question: "Which company manages Armenia's railways?" }, { userId: "800000000000000010" });
    expect((await discord.waitFor(original(next.token))).body.content).toContain("South Caucasian Railway CJSC");
  });

  it("shows the full passages behind an answer and records feedback that survives a restart", async () => {
    const asked = discord.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: "800000000000000011" });
    const edit = await discord.waitFor(original(asked.token));
    const [sourcesId, upId] = edit.body.components[0].components.map((c: { custom_id: string }) => c.custom_id);
    const sources = discord.button(sourcesId, { content: edit.body.content, components: edit.body.components });
    const shown = await discord.waitFor(callback(sources.token));
    expect(shown.body.data.flags).toBe(64);
    expect(shown.body.data.content).toContain("**`pashinyan-putin-railways#p13`**");
    expect(shown.body.data.content).toContain("Bloomberg reported earlier this month that Turkey could reopen the border");
    const vote = discord.button(upId, { content: edit.body.content }, { userId: "800000000000000012" });
    expect((await discord.waitFor(callback(vote.token))).body.data.content).toBe("Thanks, noted 👍");
    // Recorded after the reply: once written, a second connection to the state database sees what a restarted bot would.
    const reopened = openState(config);
    try {
      await expect
        .poll(() => reopened.feedback.votes(), { timeout: 5_000 })
        .toEqual([
          expect.objectContaining({
            vote: "up",
            userHash: reopened.feedback.hashUser("800000000000000012"),
            question: "When could the Armenia–Turkey border reopen?",
            passageIds: expect.arrayContaining(["pashinyan-putin-railways#p13"]),
          }),
        ]);
      expect(reopened.feedback.answer(upId.split(":")[1])).toBeDefined();
    } finally {
      reopened.close();
    }
  });

  it("answers a mention inline, without pinging", async () => {
    discord.message(`<@${APP_ID}> when could the border between Armenia and Turkey reopen?`, { mentionsBot: true, userId: "800000000000000013" });
    const reply = await discord.waitFor(
      (c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && String(c.body?.content).includes("Bloomberg"),
    );
    expect(reply.body.allowed_mentions).toEqual({ parse: [] });
    expect(reply.body.message_reference).toBeDefined();
  });

  it("tells a question over the length limit the same sentence by /ask (ephemerally) and by mention (as a reply)", async () => {
    const long = `Why ${"so ".repeat(200)}?`;
    const said = "Questions are limited to 500 characters; yours has 605.";
    const asked = discord.command("ask", { question: long }, { userId: "800000000000000014" });
    const refused = await discord.waitFor(callback(asked.token));
    expect(refused.body.data).toMatchObject({ flags: 64, content: said });
    discord.message(`<@${APP_ID}> ${long}`, { mentionsBot: true, userId: "800000000000000015" });
    const reply = await discord.waitFor((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && c.body?.content === said);
    expect(reply.body.message_reference).toBeDefined();
  });

  it("never writes the token to the logs", () => {
    expect(JSON.stringify(logs.lines())).not.toContain(TOKEN);
  });
});

describe("starting and registering without Discord", () => {
  const run = promisify(execFile);
  it("npm start without a token exits with one line saying what is missing and how to use the CLI", async () => {
    const env = { ...process.env, DISCORD_TOKEN: "", CACHE_DIR: TEST_CACHE_DIR };
    await expect(run(process.execPath, ["--import", "tsx", path.join(REPO, "src/discord/main.ts")], { cwd: REPO, env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^DISCORD_TOKEN is not set: [^\n]*npm run ask -- "[^\n]*\n$/),
    });
  });

  it("registers the commands in a guild, asking Discord for the application id", async () => {
    const discord = new FakeDiscord();
    await discord.start();
    try {
      const env = { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase, DISCORD_GUILD_ID: GUILD_ID, DISCORD_CLIENT_ID: "" };
      const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(REPO, "src/discord/register.ts")], { cwd: REPO, env });
      expect(stdout).toBe(`registered 9 commands in guild ${GUILD_ID}\n`);
      const put = discord.calls.find((c) => c.method === "PUT")!;
      expect(put.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
      expect(put.body.map((c: { name: string }) => c.name)).toEqual(["ask", "cite", "verify", "sources", "reindex", "help", "settings", "gaps", "source"]);
      expect(put.body.find((c: { name: string }) => c.name === "reindex").default_member_permissions).toBe(MANAGE_GUILD);
      expect(put.body.find((c: { name: string }) => c.name === "settings").default_member_permissions).toBe(MANAGE_GUILD);
      expect(put.body.find((c: { name: string }) => c.name === "gaps").default_member_permissions).toBe(MANAGE_GUILD);
    } finally {
      await discord.stop();
    }
  });
});
