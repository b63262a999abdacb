import { loadConfig, secretValues, type Config } from "../config.js";
import { createLogger, type Logger } from "../log.js";
import { openAnswerService, type AnswerService } from "../service/answer-service.js";
import { buildProgressReporter } from "./progress.js";

/** Config, logger and core as every CLI command needs them. */
export async function openForCli(opts: { logLevel?: string } = {}): Promise<{ config: Config; log: Logger; core: AnswerService }> {
  const config = loadConfig();
  const log = createLogger({ level: opts.logLevel ?? config.LOG_LEVEL, secrets: secretValues(config) });
  const core = await openAnswerService(config, { log, onProgress: buildProgressReporter() });
  return { config, log, core };
}
