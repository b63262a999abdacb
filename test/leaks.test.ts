import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CACHE_DIR } from "./global-setup.js";
import { REPO_CORPUS, scratch } from "./helpers/core.js";
import { FakeDiscord } from "./helpers/discord-server.js";
import { runEntry } from "./helpers/entry.js";
import { FakeOpenAI } from "./helpers/openai-server.js";

const DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";
/** Shorter than any token shape: only the configured value can catch it. */
const SHORT_KEY = "Zq7";
const EMBEDDINGS_KEY = "emb-long-configured-secret-0123456789abcdef";
const URL_USER = "llmuser";
const URL_PASSWORD = "urlpass77";
const BASIC = Buffer.from(`${URL_USER}:${URL_PASSWORD}`).toString("base64");
const Q = "When could the Armenia–Turkey border reopen?";

describe("no secret in anything written, whatever the servers echo", () => {
  let llm: FakeOpenAI;
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let base: NodeJS.ProcessEnv;
  /** Every byte every run wrote, and the interaction tokens Discord handed out. */
  const written: string[] = [];
  const interactionTokens: string[] = [];

  beforeAll(async () => {
    [llm, discord] = [new FakeOpenAI(), new FakeDiscord()];
    await Promise.all([llm.start(), discord.start()]);
    llm.echoErrors = true;
    // Discord answers every edit of an interaction's reply with an error echoing the request.
    discord.failures.push({
      match: (c) => c.method === "PATCH" && c.path.includes("/messages/@original"),
      status: 400,
      body: (c) => ({ message: `echo: ${c.authorization} ${c.path}`, code: 50035 }),
    });
    discord.failures.push({
      match: (c) => c.method === "PUT" && c.path.endsWith("/commands"),
      status: 401,
      body: (c) => ({ message: `echo: ${c.authorization}`, code: 0 }),
    });
    dir = scratch({ corpus: false });
    base = {
      ...process.env,
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      CACHE_DIR: TEST_CACHE_DIR,
      CI: "true",
      LOG_LEVEL: "debug",
      DISCORD_TOKEN,
      DISCORD_API_BASE: discord.apiBase,
      EMBEDDINGS_API_KEY: EMBEDDINGS_KEY,
      LLM_PROVIDER: "openai",
      LLM_MODEL: "fake",
      LLM_BASE_URL: `http://${URL_USER}:${URL_PASSWORD}@127.0.0.1:${llm.port}/v1`,
    };
  });
  afterAll(async () => {
    await Promise.all([llm?.stop(), discord?.stop()]);
    dir?.cleanup();
  });

  const keep = (r: { stdout: string; stderr: string }) => void written.push(r.stdout, r.stderr);

  it("sends credentials from LLM_BASE_URL as an Authorization header, so such a URL works", async () => {
    const r = await runEntry("src/cli/ask.ts", ["--json", Q], base).done;
    keep(r);
    expect(r.code).toBe(0);
    expect(llm.authorizations.at(-1)).toBe(`Basic ${BASIC}`);
    expect(JSON.parse(r.stdout)).toMatchObject({ answered: true, note: "The language model failed (HTTP 500); showing the extractive answer." });
    expect(r.stderr).toContain("fake-llm echo: authorization=Basic [redacted]");
  });

  it("scrubs a short API key a server echoes into the logs and the --json notes", async () => {
    const r = await runEntry("src/cli/ask.ts", ["--json", Q], { ...base, LLM_API_KEY: SHORT_KEY }).done;
    keep(r);
    expect(llm.authorizations.at(-1)).toBe(`Bearer ${SHORT_KEY}`);
    expect(r.stderr).toContain("fake-llm echo: authorization=Bearer [redacted]");
  });

  it("scrubs the embeddings key an echoing server puts in a start-up failure on stderr", async () => {
    const r = await runEntry("src/cli/ask.ts", [Q], { ...base, EMBEDDINGS_PROVIDER: "openai", EMBEDDINGS_BASE_URL: llm.baseUrl }).done;
    keep(r);
    expect(r.code).toBe(1);
    expect(llm.authorizations.at(-1)).toBe(`Bearer ${EMBEDDINGS_KEY}`);
    expect(r.stderr).toMatch(
      /^embeddings: OpenAI-compatible server http:\/\/127\.0\.0\.1:\d+\/v1 is unreachable or rejected model "text-embedding-3-small": .*authorization=Bearer \[redacted\]/,
    );
  });

  it("scrubs the bot token Discord echoes into `npm run register`'s error", async () => {
    const r = await runEntry("src/discord/register.ts", [], base).done;
    keep(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("echo: Bot [redacted]\n");
  });

  it("logs no token, interaction token, question or answer while the bot serves a failing /ask", async () => {
    const bot = runEntry("src/discord/main.ts", [], { ...base, LLM_API_KEY: SHORT_KEY, LOG_LEVEL: "info" });
    await bot.logged('"msg":"discord: ready"');
    const { token } = discord.command("ask", { question: Q });
    interactionTokens.push(token);
    // The edit fails; the handler logs it and tells the user with an ephemeral follow-up.
    await discord.waitFor((c) => c.method === "POST" && c.path.includes(`/${token}`) && c.path.startsWith("/webhooks/"));
    await bot.logged("discord: handler failed");
    bot.stop();
    const r = await bot.done;
    keep(r);
    expect(r.stderr).toContain('"msg":"discord: handler failed"');
    expect(r.stderr).toContain(`/webhooks/900000000000000001/[redacted]/messages/@original`);
    expect(r.stderr).not.toContain(Q);
    expect(r.stderr).not.toContain("within the next six months");
  });

  it("wrote none of the secrets anywhere", () => {
    const all = written.join("\n");
    expect(written.length).toBe(10);
    for (const secret of [DISCORD_TOKEN, SHORT_KEY, EMBEDDINGS_KEY, URL_PASSWORD, BASIC, ...interactionTokens]) expect(all).not.toContain(secret);
  });
});
