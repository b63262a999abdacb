import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { REPO, REPO_CORPUS, scratch } from "../helpers/core.js";
import { FakeDiscord } from "../helpers/discord-server.js";

/** The environment of the test runner without any setting the bot reads, so only what a case sets counts. */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true" };
  for (const key of Object.keys(configSchema.shape)) delete env[key];
  return env;
}

/** `npm start` as a user runs it: bin/run.mjs from a working directory that holds the `.env`. */
function startIn(cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [path.join(REPO, "bin", "run.mjs"), "discord/main"], { cwd, env });
  let stderr = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('"msg":"discord: ready"')) resolve();
    });
    child.on("close", (code) => reject(new Error(`the bot exited (${String(code)}) before it was ready:\n${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { ready, stop: async () => (child.kill("SIGTERM"), exited), stderr: () => stderr };
}

describe("every entry point reads .env from the working directory", () => {
  let dir: ReturnType<typeof scratch>;
  let discord: FakeDiscord;

  beforeAll(() => {
    dir = scratch({ corpus: false });
  });
  afterAll(() => dir?.cleanup());

  const writeEnv = (apiBase: string) =>
    writeFileSync(
      path.join(dir.root, ".env"),
      [
        "# as a bot owner writes it, from .env.example",
        "DISCORD_TOKEN=token-from-the-env-file",
        `DISCORD_API_BASE=${apiBase}`,
        `CORPUS_DIR=${REPO_CORPUS}`,
        "DATA_DIR=data",
        `CACHE_DIR=${TEST_CACHE_DIR}`,
        "LOG_LEVEL=info",
        "",
      ].join("\n"),
    );

  it("starts the bot with the token written in .env", async () => {
    discord = new FakeDiscord();
    await discord.start();
    try {
      writeEnv(discord.apiBase);
      const bot = startIn(dir.root, bareEnv());
      await bot.ready;
      const identify = (await discord.identified) as { token: string };
      expect(identify.token).toBe("token-from-the-env-file");
      await bot.stop();
      // DATA_DIR=data from the .env is resolved against the working directory the .env sits in.
      expect(existsSync(path.join(dir.root, "data"))).toBe(true);
    } finally {
      await discord.stop();
    }
  });

  it("lets a variable already in the environment win over the same one in .env", async () => {
    discord = new FakeDiscord();
    await discord.start();
    try {
      writeEnv(discord.apiBase);
      const bot = startIn(dir.root, { ...bareEnv(), DISCORD_TOKEN: "token-from-the-environment" });
      await bot.ready;
      const identify = (await discord.identified) as { token: string };
      expect(identify.token).toBe("token-from-the-environment");
      await bot.stop();
    } finally {
      await discord.stop();
    }
  });

  it("still says the token is missing when neither .env nor the environment has one", async () => {
    const empty = scratch({ corpus: false });
    try {
      const child = spawn(process.execPath, [path.join(REPO, "bin", "run.mjs"), "discord/main"], { cwd: empty.root, env: bareEnv() });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/^DISCORD_TOKEN is not set/);
    } finally {
      empty.cleanup();
    }
  });
});
