import { spawn } from "node:child_process";
import path from "node:path";
import { REPO } from "./core.js";

export interface EntryRun {
  /** Exit code and every byte written, once the process has ended. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves when stderr contains `text`. */
  logged(text: string): Promise<void>;
  /** Ask the process to stop (SIGTERM), as a supervisor would. */
  stop(): void;
  /** Write to standard input and close it. */
  input(text: string): void;
}

/** Run an entry point (`src/discord/main.ts`, `src/cli/ask.ts`…) in its own process, as `npm` would, keeping all it writes. */
export function runEntry(file: string, args: string[], env: NodeJS.ProcessEnv): EntryRun {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, file), ...args], { cwd: REPO, env });
  let stdout = "";
  let stderr = "";
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiting.splice(0)) {
      if (stderr.includes(w.text)) w.resolve();
      else waiting.push(w);
    }
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return {
    done,
    logged: (text) => new Promise<void>((resolve) => (stderr.includes(text) ? resolve() : waiting.push({ text, resolve }))),
    stop: () => void child.kill("SIGTERM"),
    input: (text) => void child.stdin.end(text),
  };
}
