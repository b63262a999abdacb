import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../src/discord/bot.js";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO_CORPUS, scratch, testConfig } from "../helpers/core.js";
import { FakeDiscord } from "../helpers/discord-server.js";

/** NUL, a bell, and both halves of a surrogate pair on their own. */
const DIRTY = "When could the\u0000 Armenia–Turkey\u0007 border reopen?\ud800 \udc00";
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("text the bot echoes back", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let bot: RunningBot;

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch({ corpus: false });
    const config = testConfig({
      CORPUS_DIR: REPO_CORPUS,
      DATA_DIR: dir.dataDir,
      DISCORD_TOKEN: "fake-token-for-echo-tests",
      DISCORD_API_BASE: discord.apiBase,
      DISCORD_MENTIONS: "true",
      RATE_LIMIT_USER_PER_MIN: "100",
    });
    const { log } = memoryLogger();
    bot = await startBot({ config, core: await openAnswerService(config, { log }), log });
  });
  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
    dir?.cleanup();
  });

  it("never holds NUL or a lone surrogate in an /ask reply", async () => {
    const { token } = discord.command("ask", { question: DIRTY });
    const edit = await discord.waitFor((c) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`));
    const content = edit.body.content as string;
    expect(content).toContain("**Q:** When could the Armenia–Turkey border reopen?");
    expect(content).not.toMatch(UNPRINTABLE);
  });

  it("never holds NUL or a lone surrogate in a reply to a mention", async () => {
    const id = discord.message(`<@900000000000000001> ${DIRTY}`, { mentionsBot: true });
    const sent = await discord.waitFor(
      (c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path) && c.body?.message_reference?.message_id === id,
    );
    expect(sent.body.content).toContain("When could the Armenia–Turkey border reopen?");
    expect(sent.body.content).not.toMatch(UNPRINTABLE);
  });
});
