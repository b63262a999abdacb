/**
 * A small, bounded load run through the loopback Discord (test/helpers/discord-server.ts) with 4 shards
 * in one bot process: how fast interactions are acknowledged and answered, questions per second, and
 * the process's memory. 127.0.0.1 only; at most MAX_QUESTIONS questions and MAX_SECONDS seconds.
 *
 *   npx tsx bench/shard-load.ts [--questions 200] [--concurrency 8]
 *
 * Writes bench/results/shard-load.json. The corpus is the repo's `corpus/` (small on purpose: this run
 * measures the Discord and state path, the bench's 10k runs measure retrieval).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { startBot } from "../src/discord/bot.js";
import { createLogger } from "../src/log.js";
import { openAnswerService } from "../src/service/answer-service.js";
import { FakeDiscord, guildIds, type RestCall } from "../test/helpers/discord-server.js";
import { machine } from "./machine.js";

const SHARDS = 4;
const MAX_QUESTIONS = 1000;
const MAX_SECONDS = 120;
const QUESTIONS = ["When could the Armenia–Turkey border reopen?", "Which company manages Armenia's railways?", "Who won the 2030 World Cup?"];

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const total = Math.min(arg("questions", 200), MAX_QUESTIONS);
const concurrency = Math.max(1, Math.min(arg("concurrency", 8), 64));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 10) / 10;
};

const root = mkdtempSync(path.join(os.tmpdir(), "newsbot-shard-load-"));
const guilds = guildIds(SHARDS);
const discord = new FakeDiscord({ guilds, recommendedShards: SHARDS });
await discord.start();
const config = loadConfig({
  ...process.env,
  DATA_DIR: path.join(root, "data"),
  CACHE_DIR: path.resolve(".data", "cache"),
  DISCORD_TOKEN: "fake-token-for-load",
  DISCORD_API_BASE: discord.apiBase,
  LOG_LEVEL: "silent",
  RATE_LIMIT_USER_PER_MIN: "10000",
  RATE_LIMIT_GUILD_PER_MIN: "100000",
});
const log = createLogger({ level: "silent" });
const core = await openAnswerService(config, { log });
const rssBefore = process.memoryUsage().rss;
const tLogin = performance.now();
const bot = await startBot({ config, core, log });
const loginS = (performance.now() - tLogin) / 1000;

const ack: number[] = [];
const answer: number[] = [];
const deadline = Date.now() + MAX_SECONDS * 1000;
let next = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
async function worker(): Promise<void> {
  while (next < total && Date.now() < deadline) {
    const i = next++;
    const start = performance.now();
    const { token } = discord.command(
      "ask",
      { question: QUESTIONS[i % QUESTIONS.length]! },
      { guildId: guilds[i % SHARDS]!, userId: String(810000000000000000n + BigInt(i)) },
    );
    await discord.waitFor((c: RestCall) => c.method === "POST" && c.path.endsWith(`/${token}/callback`), 30_000);
    ack.push(performance.now() - start);
    await discord.waitFor((c: RestCall) => c.method === "PATCH" && c.path.endsWith(`/${token}/messages/@original`), 30_000);
    answer.push(performance.now() - start);
  }
}
await Promise.all(Array.from({ length: concurrency }, () => worker()));
const seconds = (performance.now() - t0) / 1000;
// The fake Discord runs in this process too: the CPU figure is an upper bound on the bot's own.
const cpu = process.cpuUsage(cpu0);
const result = {
  at: new Date().toISOString(),
  machine: machine(),
  node: process.version,
  shards: SHARDS,
  shardsIdentified: discord.identifies.map((d) => d.shard),
  articles: core.info().articles.length,
  questions: answer.length,
  concurrency,
  loginS: Math.round(loginS * 100) / 100,
  seconds: Math.round(seconds * 100) / 100,
  questionsPerS: Math.round((answer.length / seconds) * 10) / 10,
  ackP50Ms: pct(ack, 50),
  ackP95Ms: pct(ack, 95),
  answerP50Ms: pct(answer, 50),
  answerP95Ms: pct(answer, 95),
  answerP99Ms: pct(answer, 99),
  cpuS: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
  questionsPerCpuS: Math.round((answer.length / ((cpu.user + cpu.system) / 1e6)) * 10) / 10,
  loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  rssBeforeLoginMb: Math.round(rssBefore / 2 ** 20),
};
await bot.stop();
await core.close();
await discord.stop();
rmSync(root, { recursive: true, force: true });
writeFileSync(path.join("bench", "results", "shard-load.json"), `${JSON.stringify(result, null, 1)}\n`);
process.stdout.write(`${JSON.stringify(result)}\n`);
