import type { Command } from "commander";
import { loadConfig, secretValues } from "../config.js";
import { createScrubber } from "../scrub.js";

/**
 * Report a failure as one scrubbed line on stderr (the stack too when `debug`), and set a failing exit
 * code. Used by every entry point, so no secret a server echoed into an error reaches the terminal.
 */
export function reportFailure(err: unknown, opts: { debug?: boolean } = {}): void {
  const scrub = createScrubber(configuredSecrets());
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${scrub(message)}\n`);
  if (opts.debug && err instanceof Error && err.stack) process.stderr.write(`${scrub(err.stack)}\n`);
  process.exitCode = 1;
}

/** The configured secrets, or none when the configuration itself cannot be read. */
export function configuredSecrets(): string[] {
  try {
    return secretValues(loadConfig());
  } catch {
    return [];
  }
}

/** The only place a CLI command exits: parse, run, and turn errors into one scrubbed line on stderr. */
export function runCli(program: Command): void {
  program.parseAsync(process.argv).catch((err: unknown) => reportFailure(err, { debug: Boolean(process.env["DEBUG"]) }));
}
