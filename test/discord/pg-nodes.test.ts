import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { REPO, scratch } from "../helpers/core.js";
import { CHANNEL_ID, FakeDiscord, MANAGE_GUILD, OTHER_CHANNEL_ID, type RestCall } from "../helpers/discord-server.js";
import { runEntry, type EntryRun } from "../helpers/entry.js";
import { PagesServer } from "../helpers/pages-server.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

const TOKEN = "fake-token-for-postgres-nodes";
const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const MOD = "800000000000000050";
/** The bound: an article added through one node is answered from by every other within this. */
const FOLLOW_MS = 5_000;
const ferry = readFileSync(path.join(REPO, "test", "fixtures", "import", "raw", "ferry-timetable.txt"));

describe("two nodes on one PostgreSQL, each with its own data folder (two machines)", () => {
  let server: TestPostgres;
  let site: PagesServer;
  const dirs: Array<ReturnType<typeof scratch>> = [];
  const discords: FakeDiscord[] = [];
  const nodes: EntryRun[] = [];

  beforeAll(async () => {
    server = await startPostgres();
    const url = server.database("nodes");
    site = new PagesServer();
    site.route("/attachments/1/ferry.txt", { type: "text/plain; charset=utf-8", body: ferry });
    await site.start();
    // Node A has the corpus folder, imported into the table on its first start; node B starts with none.
    dirs.push(scratch(), scratch({ corpus: false }));
    mkdirSync(dirs[1]!.corpusDir, { recursive: true });
    for (const dir of dirs) {
      const discord = new FakeDiscord();
      await discord.start();
      discords.push(discord);
      const env = {
        ...process.env,
        CORPUS_DIR: dir.corpusDir,
        DATA_DIR: dir.dataDir,
        CACHE_DIR: TEST_CACHE_DIR,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_BASE: discord.apiBase,
        LOG_LEVEL: "info",
        CI: "true",
        DATABASE_URL: url,
        RATE_LIMIT_USER_PER_MIN: "3",
        RATE_LIMIT_GUILD_PER_MIN: "100000",
        SOURCE_ADD_ALLOW_PRIVATE: "true",
      };
      const node = runEntry("src/discord/main.ts", [], env);
      nodes.push(node);
      await node.logged('"msg":"discord: ready"');
    }
  }, 240_000);
  afterAll(async () => {
    for (const n of nodes) n.stop();
    await Promise.all(nodes.map((n) => n.done));
    for (const d of discords) await d.stop();
    await site?.stop();
    await server?.stop();
    for (const d of dirs) d.cleanup();
  });

  const ask = async (node: number, question: string, userId: string, channelId = CHANNEL_ID) => {
    const { token } = discords[node]!.command("ask", { question }, { userId, channelId });
    const c = await Promise.race([
      discords[node]!.waitFor(original(token), 30_000),
      discords[node]!.waitFor((r) => callback(token)(r) && r.body.type === 4, 30_000),
    ]);
    return String(c.method === "PATCH" ? c.body.content : c.body.data.content);
  };

  it("serves the corpus from the table on a node that started with an empty folder", async () => {
    expect(readdirSync(dirs[1]!.corpusDir).sort()).toEqual(
      readdirSync(dirs[0]!.corpusDir)
        .filter((f) => f.endsWith(".md"))
        .sort(),
    );
    expect(await ask(1, "When could the Armenia–Turkey border reopen?", "800000000000000101")).toContain("**Bloomberg:**");
  });

  it("applies settings changed through one node in the other", async () => {
    const { token } = discords[0]!.subcommand(
      "settings",
      "channels",
      { action: "add", channel: { channel: OTHER_CHANNEL_ID } },
      { permissions: MANAGE_GUILD, userId: MOD },
    );
    expect((await discords[0]!.waitFor(callback(token))).body.data.content).toContain("✅ Saved.");
    expect(await ask(1, "When could the Armenia–Turkey border reopen?", "800000000000000102")).toBe(
      `On this server I only answer in <#${OTHER_CHANNEL_ID}>. Please ask there.`,
    );
    const reset = discords[1]!.subcommand("settings", "channels", { action: "all" }, { permissions: MANAGE_GUILD, userId: MOD });
    expect((await discords[1]!.waitFor(callback(reset.token))).body.data.content).toContain("✅ Saved.");
    expect(await ask(0, "When could the Armenia–Turkey border reopen?", "800000000000000103")).toContain("**Bloomberg:**");
  });

  it("shares a user's rate limit between the nodes", async () => {
    const user = "800000000000000104";
    for (const node of [0, 1, 0]) expect(await ask(node, "When could the Armenia–Turkey border reopen?", user)).toContain("**Bloomberg:**");
    expect(await ask(1, "When could the Armenia–Turkey border reopen?", user)).toMatch(/^You're asking faster than I can keep up/);
  });

  it("answers on one node from an article /source add confirmed on the other, within 5 s", async () => {
    const a = discords[0]!;
    const url = site.url("/attachments/1/ferry.txt");
    const add = a.subcommand(
      "source",
      "add",
      { file: { attachment: { filename: "ferry.txt", url, size: ferry.length } } },
      { permissions: MANAGE_GUILD, userId: MOD },
    );
    const shown = await a.waitFor(original(add.token));
    const confirm = shown.body.components[0].components[0] as { custom_id: string };
    const t0 = performance.now();
    const press = a.button(confirm.custom_id, { content: shown.body.content }, { userId: MOD, permissions: MANAGE_GUILD });
    let content = "";
    for (let user = 200; !content.includes("5:40") && performance.now() - t0 < FOLLOW_MS + 10_000; user++) {
      content = await ask(1, "When will the Gull Point ferry's earliest crossing leave?", `800000000000000${user}`);
      // Not too often: each question is work for the node that is re-indexing.
      if (!content.includes("5:40")) await new Promise((r) => setTimeout(r, 250));
    }
    const lag = performance.now() - t0;
    expect(content).toContain("5:40");
    expect(lag).toBeLessThan(FOLLOW_MS);
    expect((await a.waitFor(original(press.token))).body.content).toMatch(/^✅ Added/);
  }, 60_000);
});
