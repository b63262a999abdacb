import { loadConfig, secretValues, type Config } from "../config.js";
import { createLogger } from "../log.js";
import { openAnswerService } from "../service/answer-service.js";
import { buildProgressReporter } from "../cli/progress.js";
import { reportFailure } from "../cli/run.js";
import { startBot, type RunningBot } from "./bot.js";
import { CorpusSync } from "../service/corpus-sync.js";

/**
 * `npm start`: the only place the bot's process exits. Every failure that stops the bot is said once,
 * as one fatal line naming what to fix, and exits non-zero so a supervisor restarts it or reports it.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    reportFailure(err);
    process.exit(1);
  }
  if (!config.DISCORD_TOKEN) {
    process.stderr.write(
      'DISCORD_TOKEN is not set: the bot needs a bot token (see README, "Discord"). To try answers without Discord: npm run ask -- "When could the Armenia–Turkey border reopen?"\n',
    );
    process.exit(1);
  }
  const log = createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) });
  const fail = async (err: unknown, bot?: RunningBot): Promise<never> => {
    log.fatal({ err }, err instanceof Error ? err.message : String(err));
    await bot?.stop().catch(() => undefined);
    log.flush();
    process.exit(1);
  };
  let bot: RunningBot | undefined;
  let core: Awaited<ReturnType<typeof openAnswerService>> | undefined;
  // With PostgreSQL, the articles table is the corpus: this node's folder and index follow it.
  let corpus: CorpusSync | undefined;
  let unfollow: (() => Promise<void>) | undefined;
  try {
    if (config.DATABASE_URL) {
      corpus = await CorpusSync.open(config, log);
      await corpus.importOnce();
      await corpus.pull({ exact: true });
    }
    core = await openAnswerService(config, { log, onProgress: buildProgressReporter(), warmBuilder: true });
    unfollow = corpus?.follow(core);
    bot = await startBot({ config, core: corpus ? corpus.publishing(core) : core, log });
  } catch (err) {
    return fail(err, bot);
  }
  void bot.closed.then((err) => fail(err, bot));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await bot?.stop().catch((err: unknown) => log.error({ err }, "shutdown failed"));
    await unfollow?.().catch((err: unknown) => log.error({ err }, "shutdown failed"));
    await corpus?.close().catch((err: unknown) => log.error({ err }, "shutdown failed"));
    await core?.close().catch((err: unknown) => log.error({ err }, "shutdown failed"));
    log.flush();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
}

void main();
