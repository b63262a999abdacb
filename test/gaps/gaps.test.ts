import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { renderDailyChartImage } from "../../src/gaps/chart.js";
import { buildGapsReport, formatGapsReport } from "../../src/gaps/report.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { dailyCounts } from "../../src/state/gaps.js";
import { openState, type AppState } from "../../src/state/state.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";
import { APP_ID, FakeDiscord, GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS, type RestCall } from "../helpers/discord-server.js";
import { seedQuestions } from "../helpers/seed-gaps.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
/** Discord's attachment limit for servers without boosts. */
const DISCORD_FILE_LIMIT = 10 * 1024 * 1024;

describe("coverage gaps", () => {
  let dir: ReturnType<typeof scratch>;
  let config: Config;
  let core: AnswerService;
  let state: AppState;
  const now = new Date();
  let seeded: ReturnType<typeof seedQuestions>;

  beforeAll(async () => {
    dir = scratch();
    config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir });
    core = await openAnswerService(config, { log: memoryLogger().log });
    state = openState(config);
    seeded = seedQuestions(state.feedback, { count: 200, days: 29, now, guildId: GUILD_ID, seed: 7 });
    // Another server's questions never show in this one's report.
    seedQuestions(state.feedback, { count: 20, days: 29, now, guildId: "900000000000000999", seed: 8, weights: { football: 0, weather: 0, visa: 1 } });
  });
  afterAll(() => {
    state?.close();
    dir?.cleanup();
  });

  it("groups the declined and 👎 questions of 200 by topic, labelled by their top terms, with the closest passages", async () => {
    const report = await buildGapsReport({ db: state.db, core }, { days: 30, guildId: GUILD_ID, now });
    expect(report.totals).toEqual({
      questions: 200,
      answered: seeded.answered,
      declined: seeded.declined.football + seeded.declined.weather + seeded.declined.visa,
      downvoted: seeded.downvoted,
    });
    const [football, visa] = report.groups;
    expect(football).toMatchObject({ count: seeded.declined.football, declined: seeded.declined.football, downvoted: 0 });
    expect(football!.label).toEqual(expect.arrayContaining(["football", "league"]));
    expect(football!.example).toMatch(/football/i);
    expect(visa!.label).toContain("visa");
    expect(visa!.count).toBe(seeded.declined.visa);
    const weather = report.groups.filter((g) => g.label.includes("weather") || g.label.includes("yerevan") || g.label.includes("snow"));
    expect(weather.reduce((n, g) => n + g.count, 0)).toBe(seeded.declined.weather);
    for (const g of report.groups) {
      expect(g.closest.length).toBeGreaterThan(0);
      for (const p of g.closest) expect(core.getPassage(p.passageId)).toBeDefined();
    }
    const downvoted = report.groups.filter((g) => g.downvoted > 0).reduce((n, g) => n + g.downvoted, 0);
    expect(downvoted).toBe(seeded.downvoted);
    const text = formatGapsReport(report, { markdown: false });
    expect(text).toMatch(/^Coverage gaps, last 30 days/);
    expect(text).not.toMatch(/81\d{16}|82\d{16}/);
  });

  it("counts questions per day, every day of the period present", () => {
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const days = dailyCounts(state.db, { since: new Date(until.getTime() - 30 * 86_400_000).toISOString(), until: until.toISOString(), guildId: GUILD_ID });
    expect(days).toHaveLength(30);
    expect(days.reduce((n, d) => n + d.answered + d.declined + d.downvoted, 0)).toBe(200);
  });

  it("renders a PNG chart of the period whose pixels follow the data", async () => {
    const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const days = dailyCounts(state.db, { since: new Date(until.getTime() - 30 * 86_400_000).toISOString(), until: until.toISOString(), guildId: GUILD_ID });
    const a = await renderDailyChartImage(days);
    expect(a.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(a.png)).toEqual({ width: a.width, height: a.height });
    expect(a.width).toBeGreaterThanOrEqual(1200);
    expect(a.width).toBeLessThanOrEqual(2000);
    expect(a.height).toBeGreaterThanOrEqual(400);
    expect(a.height).toBeLessThanOrEqual(1000);
    expect(a.png.length).toBeLessThan(DISCORD_FILE_LIMIT);
    // Not blank: plenty of pixels are neither white nor grey (the bars' colours).
    let coloured = 0;
    for (let i = 0; i < a.pixels.length; i += 4)
      if (Math.max(a.pixels[i]!, a.pixels[i + 1]!, a.pixels[i + 2]!) - Math.min(a.pixels[i]!, a.pixels[i + 1]!, a.pixels[i + 2]!) > 60) coloured++;
    expect(coloured).toBeGreaterThan(a.width * a.height * 0.05);
    const other = days.map((d, i) => ({ ...d, declined: d.declined + (i % 2) * 5 }));
    const b = await renderDailyChartImage(other);
    expect({ width: b.width, height: b.height }).toEqual({ width: a.width, height: a.height });
    let differing = 0;
    for (let i = 0; i < a.pixels.length; i += 4) if (a.pixels.readUInt32BE(i) !== b.pixels.readUInt32BE(i)) differing++;
    expect(differing).toBeGreaterThan(1000);
  });

  it("npm run gaps -- --out report.png prints the groups and writes the chart", async () => {
    const out = path.join(dir.root, "report.png");
    const env = { ...process.env, CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir, CACHE_DIR: TEST_CACHE_DIR, LOG_LEVEL: "silent" };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", path.join(REPO, "src/cli/gaps.ts"), "--days", "30", "--guild", GUILD_ID, "--out", out],
      { cwd: REPO, env },
    );
    expect(stdout).toMatch(/^Coverage gaps, last 30 days .*: 200 questions/);
    expect(stdout).toMatch(/\n1\. football · league[^\n]*: \d+ questions/);
    expect(stdout).toContain(`chart: ${out}`);
    expect(existsSync(out)).toBe(true);
    const png = readFileSync(out);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png).width).toBeGreaterThan(1000);
  });

  describe("/gaps, against a fake Discord on 127.0.0.1", () => {
    let discord: FakeDiscord;
    let bot: RunningBot;
    beforeAll(async () => {
      discord = new FakeDiscord();
      await discord.start();
      bot = await startBot({ config: { ...config, DISCORD_TOKEN: "fake-token", DISCORD_API_BASE: discord.apiBase }, core, log: memoryLogger().log, state });
    });
    afterAll(async () => {
      await bot?.stop();
      await discord?.stop();
    });

    it("refuses a member without Manage Server", async () => {
      const { token } = discord.interaction({ type: 2, data: { id: "1", name: "gaps", type: 1, options: [] }, permissions: MEMBER_PERMISSIONS });
      const reply = await discord.waitFor((c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`));
      expect(reply.body.data).toMatchObject({ flags: 64, content: "Only moderators with the Manage Server permission can see coverage gaps." });
    });

    it("shows a moderator the grouped gaps, only to them, with a PNG chart within Discord's limits", async () => {
      const { token } = discord.interaction({
        type: 2,
        data: { id: "2", name: "gaps", type: 1, options: [{ name: "days", type: 4, value: 30 }] },
        permissions: MANAGE_GUILD,
      });
      const deferred = await discord.waitFor((c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`));
      expect(deferred.body).toMatchObject({ type: 5, data: { flags: 64 } });
      const edit = await discord.waitFor((c: RestCall) => c.method === "PATCH" && c.path === `/webhooks/${APP_ID}/${token}/messages/@original`, 60_000);
      const content = edit.body.content as string;
      expect(content.length).toBeLessThanOrEqual(2000);
      expect(content).toMatch(/^\*\*Coverage gaps, last 30 days\*\*/);
      expect(content).toMatch(/\*\*1\. football · league[^*]*\*\*: \d+ questions/);
      expect(content).toContain("closest passages: `");
      expect(edit.body.allowed_mentions).toEqual({ parse: [] });
      expect(edit.files).toHaveLength(1);
      const file = edit.files![0]!;
      expect(file.filename).toBe("questions-per-day.png");
      expect(file.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(file.data.length).toBeLessThan(DISCORD_FILE_LIMIT);
      const { width, height } = pngSize(file.data);
      expect(width).toBeLessThanOrEqual(4096);
      expect(height).toBeLessThanOrEqual(4096);
      expect(edit.body.attachments).toEqual([expect.objectContaining({ id: "0", description: "Questions per day: answered, declined, thumbs down" })]);
    });
  });
});
