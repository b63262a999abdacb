import { createHash } from "node:crypto";
import { pino, type Logger } from "pino";
import { prettyFactory } from "pino-pretty";
import { createScrubber, REDACTED } from "./scrub.js";
import { terminalFor } from "./terminal.js";

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

/** Hex digits of a hashed user id: enough to tell the users of one bot apart, too few to look anyone up. */
const USER_HASH_CHARS = 10;

/**
 * A Discord user id as logs carry it: a short, stable hash (the same user always gives the same one,
 * so a moderator can follow one person's requests through the logs without the logs naming anyone).
 */
export function userHash(id: string): string {
  return createHash("sha256").update(`news-cite-bot:user:${id}`).digest("hex").slice(0, USER_HASH_CHARS);
}

/** A `user` field that holds a Discord snowflake is hashed wherever it is logged; other values (the bot's own tag) stay. */
const hashSnowflake = (value: unknown): unknown => (typeof value === "string" && /^\d{15,21}$/.test(value) ? userHash(value) : value);

/** pino's number for the `error` level. */
const LEVEL_ERROR = 50;

/** Errors that are part of normal operation: their message says it all, a stack trace would only alarm. */
const EXPECTED_ERRORS = new Set(["AppError", "UserError"]);

/**
 * One line per log entry for a person at a terminal: time, level, message, then the fields. An error
 * shows its message; only an unexpected one (not an AppError or UserError) logged at error or fatal
 * is followed by its stack, on the lines below, where whoever fixes it needs it.
 */
function prettyLines(): (line: string) => string {
  const format = prettyFactory({
    colorize: true,
    singleLine: true,
    ignore: "pid,hostname",
    translateTime: "SYS:HH:MM:ss",
    // The error is shown by the prettifier below, not by pino-pretty's multi-line stack printing.
    errorLikeObjectKeys: [],
    customPrettifiers: { err: (value) => String((value as { message?: unknown }).message ?? "") },
  });
  return (line) => {
    const out = format(line);
    if (!line.includes('"err":')) return out;
    const entry = JSON.parse(line) as { level?: number; err?: { type?: string; stack?: string } };
    const stack = entry.err?.stack;
    if (!stack || (entry.level ?? 0) < LEVEL_ERROR || EXPECTED_ERRORS.has(entry.err?.type ?? "")) return out;
    return `${out}${stack.replace(/^/gm, "    ")}\n`;
  };
}

/**
 * Logs on stderr (stdout stays clean for `ask --json`): JSON lines, or with `pretty` (default: when
 * stderr is a terminal) one readable line each, written around the progress bar (see `terminalFor`).
 * Errors logged as `err` keep their message, stack and cause (pino's `errWithCause` serializer); keys
 * that hold secrets or request bodies are redacted; Discord user ids are hashed (`userHash`); and every
 * line is scrubbed of the configured secrets and token shapes just before it is written (see
 * `createScrubber`), so nothing is lost to a JSON round-trip.
 */
export function createLogger(opts: {
  level: string;
  secrets?: Array<string | undefined>;
  destination?: pino.DestinationStream;
  /** One readable line per entry instead of JSON. Default: no `destination` given and stderr is a TTY. */
  pretty?: boolean;
}): Logger {
  const scrub = createScrubber(opts.secrets ?? []);
  const pretty = opts.pretty ?? (opts.destination === undefined && process.stderr.isTTY === true);
  let destination = opts.destination ?? pino.destination(2);
  if (pretty) {
    const format = prettyLines();
    const target = opts.destination;
    const terminal = terminalFor(process.stderr);
    destination = { write: (line: string) => (target ? target.write(format(line)) : terminal.write(format(line))) };
  }
  return pino(
    {
      level: opts.level,
      serializers: { err: pino.stdSerializers.errWithCause, user: hashSnowflake },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: scrub },
    },
    destination,
  );
}
