import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBot, type RunningBot } from "../../../src/discord/bot.js";
import { rebuildFailure } from "../../../src/discord/commands/reindex.js";
import { AppError } from "../../../src/errors.js";
import { openAnswerService, type AnswerService } from "../../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../../helpers/core.js";
import { APP_ID, FakeDiscord, MANAGE_GUILD, type RestCall } from "../../helpers/discord-server.js";

const TOKEN = "fake-token-MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part";
const callback = (token: string) => (c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`);

/** Build processes (`_build-child`) that are children of this test process. */
function buildChildren(): number[] {
  const pids = readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
  return pids.filter((pid) => {
    try {
      const ppid = Number(
        readFileSync(`/proc/${pid}/stat`, "utf8")
          .replace(/^.*\)\s+\S+\s+/, "")
          .split(" ")[0],
      );
      return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("_build-child");
    } catch {
      return false;
    }
  });
}

describe("what a moderator is told when /reindex fails", () => {
  let discord: FakeDiscord;
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  let bot: RunningBot;
  let logs: ReturnType<typeof memoryLogger>;
  /** The build process this test's service forked. */
  let builderPid: number;

  beforeAll(async () => {
    discord = new FakeDiscord();
    await discord.start();
    dir = scratch();
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir, DISCORD_TOKEN: TOKEN, DISCORD_API_BASE: discord.apiBase });
    logs = memoryLogger();
    // Other test files that ran in this worker before may have left build processes of their own.
    const others = new Set(buildChildren());
    core = await openAnswerService(config, { log: logs.log, warmBuilder: true });
    const ours = buildChildren().filter((pid) => !others.has(pid));
    if (ours.length !== 1) throw new Error(`test: expected one new build process, found ${ours.length}`);
    builderPid = ours[0]!;
    bot = await startBot({ config, core, log: logs.log });
    await discord.identified;
  });
  afterAll(async () => {
    await bot?.stop();
    await core?.close();
    await discord?.stop();
    dir?.cleanup();
  });

  it("hears the service's own words when the build process is killed, with an error id that is in the logs", async () => {
    // Stopped first, so the build cannot finish before it is killed, whatever the machine's load.
    const pid = builderPid;
    process.kill(pid, "SIGSTOP");
    const before = core.info().builtAt;
    const { token } = discord.command("reindex", {}, { permissions: MANAGE_GUILD, userId: "800000000000000301" });
    await discord.waitFor(callback(token), 60_000);
    process.kill(pid, "SIGKILL");
    const told = await discord.waitFor((c) => c.method === "POST" && c.path === `/webhooks/${APP_ID}/${token}`, 60_000);
    expect(told.body.flags).toBe(64);
    expect(told.body.content).toMatch(
      /^The rebuild failed: the build process exited \(SIGKILL\) before finishing; the previous build keeps serving\. \(error id `[0-9a-f]{8}`\)$/,
    );
    expect(told.body.content).not.toMatch(/Something went wrong/);
    const id = /error id `([0-9a-f]{8})`/.exec(told.body.content)![1];
    expect(logs.lines().some((l) => l["errorId"] === id && l["level"] === 50)).toBe(true);
    // And it is true: the old build still answers, and the next rebuild (a new build process) succeeds.
    expect(core.info().builtAt).toBe(before);
    const next = discord.command("reindex", {}, { permissions: MANAGE_GUILD, userId: "800000000000000302" });
    const done = await discord.waitFor(
      (c) => c.method === "PATCH" && c.path.endsWith(`/${next.token}/messages/@original`) && String(c.body.content).startsWith("✅"),
      120_000,
    );
    expect(done.body.content).toMatch(/Index rebuilt/);
  }, 240_000);

  it("drops the component prefix, scrubs secrets and escapes Markdown in the service's message", () => {
    const err = new AppError("INDEX", "index: embeddings server said 401 for key s3cr3t-key-value in *bold*");
    expect(rebuildFailure(err, "0badc0de", ["s3cr3t-key-value"])).toBe(
      "The rebuild failed: embeddings server said 401 for key \\[redacted\\] in \\*bold\\*. (error id `0badc0de`)",
    );
  });
});
