import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { REPO_CORPUS, scratch } from "../helpers/core.js";
import { runEntry } from "../helpers/entry.js";
import { FakeDiscord } from "../helpers/discord-server.js";

const TOKEN = "fake-token-for-main-tests";

/** `npm start` as a supervisor runs it: the real entry point in its own process, every byte it writes kept. */
const start = (env: NodeJS.ProcessEnv) => runEntry("src/discord/main.ts", [], env);

const lines = (stderr: string) =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { level: number; msg: string; err?: Record<string, unknown> });

describe("npm start when Discord ends the session for good", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch({ corpus: false });
    env = {
      ...process.env,
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      CACHE_DIR: TEST_CACHE_DIR,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_BASE: discord.apiBase,
      LOG_LEVEL: "warn",
      CI: "true",
    };
  });
  afterAll(async () => {
    await discord?.stop();
    dir?.cleanup();
  });

  it("exits non-zero with one fatal line naming the token when the gateway closes with 4004", async () => {
    discord.closeOnIdentify = 4004;
    const { code, stderr, stdout } = await start(env).done;
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const logged = lines(stderr);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 60 });
    expect(logged[0]!.msg).toMatch(/^discord: gateway closed with 4004: Discord rejected DISCORD_TOKEN .*Reset Token.*DISCORD_TOKEN$/);
    expect(stderr).not.toContain(TOKEN);
    // Said once: no other line (warn, error, discord.js's own) mentions the close.
    expect(stderr.split("\n").filter((l) => l.includes("4004"))).toHaveLength(1);
  });

  it("exits non-zero with one fatal line naming the portal switch when the gateway closes with 4014", async () => {
    discord.closeOnIdentify = 4014;
    const { code, stderr } = await start({ ...env, DISCORD_MENTIONS: "true" }).done;
    expect(code).toBe(1);
    const logged = lines(stderr);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 60 });
    expect(stderr.split("\n").filter((l) => l.includes("4014"))).toHaveLength(1);
    expect(logged[0]!.msg).toMatch(
      /^discord: gateway closed with 4014: .*Privileged Gateway Intents → Message Content Intent in the Developer Portal, or set DISCORD_MENTIONS=false$/,
    );
  });

  it("exits non-zero when the session is ended for good after the bot was ready", async () => {
    discord.closeOnIdentify = undefined;
    const bot = start({ ...env, LOG_LEVEL: "info" });
    await bot.logged('"msg":"discord: ready"');
    discord.closeGateway(4011);
    const { code, stderr } = await bot.done;
    expect(code).toBe(1);
    const fatal = lines(stderr).filter((l) => l.level >= 50);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(
      /^discord: gateway closed with 4011: .*sharding required.*unset SHARD_COUNT .*Discord's recommended number of shards, or raise SHARD_COUNT .*SHARD_IDS$/,
    );
  });

  it("names the setting at fault, with the error's message and stack, when LLM_MODEL is missing", async () => {
    const { code, stderr } = await start({ ...env, LLM_PROVIDER: "openai" }).done;
    expect(code).toBe(1);
    const fatal = lines(stderr);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ level: 60, msg: "llm: LLM_MODEL is required when LLM_PROVIDER=openai (e.g. the model name your server serves)" });
    expect(fatal[0]!.err).toMatchObject({
      type: "AppError",
      code: "LLM",
      message: fatal[0]!.msg,
      stack: expect.stringMatching(/^AppError: llm: LLM_MODEL is required[^\n]*\n\s+at /),
    });
  });

  it("names the file at fault when the old feedback file cannot be read", async () => {
    const { mkdirSync } = await import("node:fs");
    const other = scratch({ corpus: false });
    mkdirSync(path.join(other.dataDir, "feedback", "feedback.jsonl"), { recursive: true });
    try {
      discord.closeOnIdentify = undefined;
      const { code, stderr } = await start({ ...env, DATA_DIR: other.dataDir }).done;
      expect(code).toBe(1);
      const fatal = lines(stderr).filter((l) => l.level === 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.msg).toContain(
        `feedback: cannot import the old feedback file ${path.join(other.dataDir, "feedback", "feedback.jsonl")} (DATA_DIR=${other.dataDir}): EISDIR`,
      );
      // The error keeps its stack and its cause, not just a code.
      expect(fatal[0]!.err).toMatchObject({
        type: "AppError",
        code: "STATE",
        stack: expect.stringMatching(/^AppError: feedback: cannot import/),
        cause: { code: "EISDIR", message: expect.stringContaining("EISDIR") },
      });
    } finally {
      other.cleanup();
    }
  });
});
