import { loadConfig } from "../config.js";
import { createLogger } from "../log.js";
import { openAnswerService } from "../service/answer-service.js";
import { buildProgressReporter } from "../cli/progress.js";
import { startBot } from "./bot.js";

/** `npm start`: the only place the bot's process exits. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  if (!config.DISCORD_TOKEN) {
    process.stderr.write('DISCORD_TOKEN is not set: the bot needs a bot token (see README, "Discord"). To try answers without Discord: npm run ask -- "When could the Armenia–Turkey border reopen?"\n');
    process.exit(1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, secrets: [config.DISCORD_TOKEN, config.LLM_API_KEY, config.EMBEDDINGS_API_KEY] });
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let core: Awaited<ReturnType<typeof openAnswerService>> | undefined;
  try {
    core = await openAnswerService(config, { log, onProgress: buildProgressReporter(), warmBuilder: true });
    bot = await startBot({ config, core, log });
  } catch (err) {
    log.fatal({ err }, "start-up failed");
    await bot?.stop().catch(() => undefined);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await bot?.stop().catch((err: unknown) => log.error({ err }, "shutdown failed"));
    await core?.close().catch((err: unknown) => log.error({ err }, "shutdown failed"));
    log.flush();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
}

void main();
