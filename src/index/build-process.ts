import { fork } from "node:child_process";
import type { Config } from "../config.js";
import type { BuildProgress, ReindexSummary } from "../core.js";
import { AppError } from "../errors.js";
import { childExecArgv, sibling } from "./_runtime.js";

/** Messages from the build process to its parent. */
export type BuildMessage =
  | { type: "progress"; progress: BuildProgress }
  | { type: "done"; dir: string; summary: ReindexSummary }
  | { type: "error"; message: string };

/** What the parent sends to start a build. */
export interface BuildRequest {
  config: Config;
  previousDir: string | undefined;
}

/**
 * Run a build in a child process, so that the serving process's event loop and heap are untouched
 * by it. The child exits when its parent goes away (it never switches in a build nobody asked for
 * any more), and a crash of the child leaves the previous build serving. Aborting `signal` kills it.
 */
export function runBuildProcess(request: BuildRequest, onProgress?: (p: BuildProgress) => void, signal?: AbortSignal): Promise<{ dir: string; summary: ReindexSummary }> {
  const entry = sibling(import.meta.url, "_build-child");
  return new Promise((resolve, reject) => {
    const child = fork(entry, [], { execArgv: childExecArgv(entry), stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced", ...(signal ? { signal } : {}) });
    let settled = false;
    child.on("message", (m: BuildMessage) => {
      if (m.type === "progress") onProgress?.(m.progress);
      else if (m.type === "done") {
        settled = true;
        resolve({ dir: m.dir, summary: m.summary });
      } else {
        settled = true;
        reject(new AppError("INDEX", m.message));
      }
    });
    child.on("error", (err) => {
      if (!settled) reject(new AppError("INDEX", signal?.aborted ? "index: the build was stopped; the previous build keeps serving" : `index: the build process failed: ${err.message}`));
      settled = true;
    });
    child.on("exit", (code, signal) => {
      if (!settled) reject(new AppError("INDEX", `index: the build process exited (${signal ?? `code ${code}`}) before finishing; the previous build keeps serving`));
      settled = true;
    });
    child.send(request);
  });
}
