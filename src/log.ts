import { pino, type Logger } from "pino";
import { createScrubber, REDACTED } from "./scrub.js";

export type { Logger };

/** Keys whose values never reach a log, wherever they sit (`err.requestBody` holds users' questions and answers). */
const REDACT_PATHS = [
  "token",
  "*.token",
  "DISCORD_TOKEN",
  "*.DISCORD_TOKEN",
  "LLM_API_KEY",
  "*.LLM_API_KEY",
  "EMBEDDINGS_API_KEY",
  "*.EMBEDDINGS_API_KEY",
  "apiKey",
  "*.apiKey",
  "headers.authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "requestBody",
  "*.requestBody",
  "*.*.requestBody",
];

/**
 * Structured logs on stderr (stdout stays clean for `ask --json`). Errors logged as `err` keep their
 * message, stack and cause (pino's `errWithCause` serializer); keys that hold secrets or request bodies
 * are redacted; and every line is scrubbed of the configured secrets and token shapes just before it
 * is written (see `createScrubber`), so nothing is lost to a JSON round-trip.
 */
export function createLogger(opts: { level: string; secrets?: Array<string | undefined>; destination?: pino.DestinationStream }): Logger {
  const scrub = createScrubber(opts.secrets ?? []);
  return pino(
    {
      level: opts.level,
      serializers: { err: pino.stdSerializers.errWithCause },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: scrub },
    },
    opts.destination ?? pino.destination(2),
  );
}
