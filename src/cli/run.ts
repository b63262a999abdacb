import type { Command } from "commander";
import { AppError } from "../errors.js";

/** The only place that exits the process: parse, run, and turn errors into one line on stderr. */
export function runCli(program: Command): void {
  program.parseAsync(process.argv).catch((err: unknown) => {
    const message = err instanceof AppError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message}\n`);
    if (process.env["DEBUG"] && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  });
}
