import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord, type RestCall } from "../helpers/discord-server.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const TOKEN = "fake-token-MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part";
const original = (token: string) => (c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NEW_FACT = "The Harbour Authority said the new lighthouse at Cape Verity will open in April 2027.";

describe("several processes on one index", () => {
  let dir: ReturnType<typeof scratch>;
  const discords: FakeDiscord[] = [];
  const children: ChildProcess[] = [];
  let user = 0;

  const env = (extra: Record<string, string>) => ({
    ...process.env,
    CORPUS_DIR: dir.corpusDir,
    DATA_DIR: dir.dataDir,
    CACHE_DIR: TEST_CACHE_DIR,
    LOG_LEVEL: "silent",
    CI: "true",
    ...extra,
  });
  const ask = async (discord: FakeDiscord, question: string): Promise<string> => {
    const { token } = discord.command("ask", { question }, { userId: `9000000000000${String(user++).padStart(5, "0")}` });
    return String((await discord.waitFor(original(token), 30_000)).body.content);
  };

  beforeAll(async () => {
    dir = scratch();
    const core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), memoryLogger());
    await core.close();
    // Two real bot processes (`npm start`), each logged in to its own fake Discord, both on the one index.
    for (let i = 0; i < 2; i++) {
      const discord = new FakeDiscord();
      await discord.start();
      discords.push(discord);
      children.push(
        spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/discord/main.ts")], {
          cwd: REPO,
          env: env({ DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase, RATE_LIMIT_GUILD_PER_MIN: "100000" }),
          stdio: "ignore",
        }),
      );
    }
    await Promise.all(discords.map((d) => d.identified));
  }, 360_000);
  afterAll(async () => {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    for (const d of discords) await d.stop();
    dir?.cleanup();
  });

  it("answers from two bot processes while a third re-indexes, then both serve the new build", async () => {
    for (const d of discords) expect(await ask(d, "When could the Armenia–Turkey border reopen?")).toContain("**Bloomberg:**");

    // A new article, and enough copies of another that the re-index takes a while.
    const source = readFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "utf8");
    for (let i = 0; i < 200; i++) writeFileSync(path.join(dir.corpusDir, `copy-${i}.md`), source.replace("id: kars-gyumri-railway-talks", `id: copy-${i}`));
    writeFileSync(
      path.join(dir.corpusDir, "cape-verity-lighthouse.md"),
      `---\nid: cape-verity-lighthouse\ntitle: 'A lighthouse for Cape Verity'\npublisher: Coast Courier\n---\n${NEW_FACT}\n`,
    );
    const indexer = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/index-cmd.ts")], { cwd: REPO, env: env({}), stdio: "ignore" });
    children.push(indexer);
    let indexing = true;
    const exited = new Promise<number | null>((r) => indexer.once("exit", (code) => ((indexing = false), r(code))));

    const answeredDuring = [0, 0];
    while (indexing) {
      for (const [i, d] of discords.entries()) {
        const content = await ask(d, "When could the Armenia–Turkey border reopen?");
        expect(content).toContain("**Bloomberg:**");
        if (indexing) answeredDuring[i]! += 1;
      }
      await sleep(200);
    }
    expect(await exited).toBe(0);
    expect(answeredDuring.every((n) => n > 0)).toBe(true);

    // Each bot notices the switched-in build on its own and answers from it.
    for (const d of discords) {
      let content = "";
      for (let tries = 0; tries < 20 && !content.includes("April 2027"); tries++) {
        content = await ask(d, "When will the new lighthouse at Cape Verity open?");
        if (!content.includes("April 2027")) await sleep(1000);
      }
      expect(content).toContain("will open in April 2027");
    }
  }, 240_000);
});
