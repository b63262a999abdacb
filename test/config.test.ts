import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema, loadConfig } from "../src/config.js";
import { REPO } from "./helpers/core.js";

describe("configuration", () => {
  it("has working defaults with no environment at all", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ EMBEDDINGS_PROVIDER: "glove", LLM_PROVIDER: "none", DISCORD_MENTIONS: false, RETRIEVAL_K: 12 });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.cacheDir).toBe(path.join(config.dataDir, "cache"));
  });

  it.each([
    [{ EMBEDDINGS_PROVIDER: "word2vec" }, 'config: EMBEDDINGS_PROVIDER="word2vec" is invalid: expected one of glove, transformers, ollama, openai'],
    [{ ANSWER_THRESHOLD: "2" }, 'config: ANSWER_THRESHOLD="2" is invalid: expected at most 1'],
    [{ DISCORD_MENTIONS: "maybe" }, 'config: DISCORD_MENTIONS="maybe" is invalid: expected one of true, false, 1, 0, yes, no'],
    [{ LLM_BASE_URL: "localhost:11434" }, 'config: LLM_BASE_URL="localhost:11434" is invalid: expected an http(s) URL such as http://127.0.0.1:11434'],
  ])("rejects %o with one line naming the variable and what it accepts", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("keeps the app-state database under DATA_DIR unless STATE_DB says otherwise", () => {
    expect(loadConfig({ DATA_DIR: "/tmp/somewhere" })).toMatchObject({
      stateFile: "/tmp/somewhere/state.sqlite",
      HISTORY_TURNS: 6,
      HISTORY_TTL_MIN: 1440,
      HISTORY_MAX_TOKENS: 1000,
    });
    expect(loadConfig({ STATE_DB: "/var/lib/bot/state.db" }).stateFile).toBe("/var/lib/bot/state.db");
    expect(() => loadConfig({ HISTORY_TURNS: "0" })).toThrow('config: HISTORY_TURNS="0" is invalid: expected at least 1');
  });

  it("documents every key in .env.example", () => {
    const example = readFileSync(path.join(REPO, ".env.example"), "utf8");
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(configSchema.shape).sort());
  });
});
