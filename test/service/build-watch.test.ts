import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAnswerService } from "../../src/service/answer-service.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord, type RestCall } from "../helpers/discord-server.js";
import { runEntry, type EntryRun } from "../helpers/entry.js";

const TOKEN = "fake-token-for-build-watch-tests";
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const NEW_FACT = "The Harbour Authority said the new lighthouse at Cape Verity will open in April 2027.";
/** The promise: an idle process serves a build another process switched in within a second. */
const FOLLOW_MS = 1000;

describe("bot processes on one machine, without PostgreSQL", () => {
  let dir: ReturnType<typeof scratch>;
  const discords: FakeDiscord[] = [];
  const bots: EntryRun[] = [];

  beforeAll(async () => {
    dir = scratch();
    const core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), memoryLogger());
    await core.close();
    for (let i = 0; i < 2; i++) {
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
        RATE_LIMIT_USER_PER_MIN: "3",
      };
      bots.push(runEntry("src/discord/main.ts", [], env));
    }
    await Promise.all(bots.map((b) => b.logged('"msg":"discord: ready"')));
  }, 360_000);
  afterAll(async () => {
    for (const b of bots) b.stop();
    await Promise.all(bots.map((b) => b.done));
    for (const d of discords) await d.stop();
    dir?.cleanup();
  });

  it("share a user's rate limit through the state file", async () => {
    const ask = async (node: number) => {
      const { token } = discords[node]!.command("ask", { question: "When could the Armenia–Turkey border reopen?" }, { userId: "800000000000000777" });
      const c = await Promise.race([
        discords[node]!.waitFor(original(token), 30_000),
        discords[node]!.waitFor((r) => r.method === "POST" && r.path.endsWith(`/${token}/callback`) && r.body.type === 4, 30_000),
      ]);
      return String(c.method === "PATCH" ? c.body.content : c.body.data.content);
    };
    for (const node of [0, 1, 0]) expect(await ask(node)).toContain("**Bloomberg:**");
    expect(await ask(1)).toMatch(/^You're asking faster than I can keep up/);
  });

  it("follow a build another process switched in within a second while idle, then answer from it", async () => {
    writeFileSync(
      path.join(dir.corpusDir, "cape-verity-lighthouse.md"),
      `---\nid: cape-verity-lighthouse\ntitle: 'A lighthouse for Cape Verity'\npublisher: Coast Courier\n---\n${NEW_FACT}\n`,
    );
    // A third process's build (as `npm run index`): opening sees the changed corpus and switches a new build in.
    const indexer = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), memoryLogger());
    await indexer.close();
    const switchedAt = statSync(path.join(dir.dataDir, "index", "CURRENT")).mtimeMs;
    const switched = '"msg":"index: switched to a build made by another process"';
    await Promise.all(bots.map((b) => b.logged(switched)));
    for (const d of discords) {
      const { token } = d.command("ask", { question: "When will the new lighthouse at Cape Verity open?" });
      expect(String((await d.waitFor(original(token), 30_000)).body.content)).toContain("will open in April 2027");
    }
    // No question was asked before: each process noticed on its own. Measured from the pointer's rename to the new build being served.
    for (const b of bots) {
      b.stop();
      const line = (await b.done).stderr.split("\n").find((l) => l.includes(switched))!;
      const lag = (JSON.parse(line) as { time: number }).time - switchedAt;
      expect(lag).toBeLessThan(FOLLOW_MS);
    }
  }, 120_000);
});
