import { pino, type Logger } from "pino";

export type { Logger };

/**
 * Structured logs on stderr (stdout stays clean for `ask --json`). Secrets are redacted by key, and the
 * token value itself is scrubbed from any message that might echo it.
 */
export function createLogger(opts: { level: string; secrets?: string[]; destination?: pino.DestinationStream }): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 8);
  return pino(
    {
      level: opts.level,
      redact: {
        paths: ["token", "*.token", "DISCORD_TOKEN", "*.DISCORD_TOKEN", "LLM_API_KEY", "*.LLM_API_KEY", "EMBEDDINGS_API_KEY", "*.EMBEDDINGS_API_KEY", "headers.authorization", "*.headers.authorization"],
        censor: "[redacted]",
      },
      hooks: {
        logMethod(args, method) {
          if (secrets.length > 0) {
            args = args.map((a) => (typeof a === "string" ? scrub(a, secrets) : a)) as typeof args;
          }
          method.apply(this, args);
        },
      },
      formatters: {
        log(obj) {
          if (secrets.length === 0) return obj;
          return JSON.parse(scrub(JSON.stringify(obj), secrets)) as Record<string, unknown>;
        },
      },
    },
    opts.destination ?? pino.destination(2),
  );
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("[redacted]");
  return out;
}
