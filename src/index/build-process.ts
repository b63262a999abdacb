import { fork, type ChildProcess } from "node:child_process";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { childExecArgv, sibling } from "../runtime.js";
import type { BuildProgress, ReindexSummary } from "./build.js";

/** Messages from the build process to its parent. */
export type BuildMessage =
  | { type: "ready" }
  | { type: "progress"; progress: BuildProgress }
  | { type: "done"; dir: string; summary: ReindexSummary; vocabularyGrew: boolean }
  | { type: "error"; message: string };

/** What the parent sends to start a build. */
export interface BuildRequest {
  previousDir: string | undefined;
}

/** What asking for a rebuild while one runs gets, from the service or the build process: one error, one message. */
export function rebuildBusy(): AppError {
  return new AppError("INDEX_BUSY", "index: a rebuild is already running");
}

/**
 * Builds run in a child process, so that the serving process's event loop and heap are untouched by
 * them. The child stays up between builds with its embedder and sentence splitter loaded (start it
 * early with `warm()`), exits when its parent goes away (it never switches in a build nobody asked for
 * any more), and a crash of it leaves the previous build serving.
 */
export class BuildProcess {
  private child: ChildProcess | undefined;
  private running = false;

  constructor(private readonly config: Config) {}

  /** Start the child now (it loads its models while idle), so that the next build does not wait for that. */
  warm(): void {
    this.ensure();
  }

  /** Run one build. Aborting `signal` kills the child; the previous build stays current. */
  run(
    request: BuildRequest,
    onProgress?: (p: BuildProgress) => void,
    signal?: AbortSignal,
  ): Promise<{ dir: string; summary: ReindexSummary; vocabularyGrew: boolean }> {
    if (this.running) return Promise.reject(rebuildBusy());
    if (signal?.aborted) return Promise.reject(new AppError("INDEX", "index: the build was stopped; the previous build keeps serving"));
    const child = this.ensure();
    this.running = true;
    // While building, the child keeps this process alive; idle, it does not.
    child.ref();
    child.channel?.ref();
    return new Promise<{ dir: string; summary: ReindexSummary; vocabularyGrew: boolean }>((resolve, reject) => {
      const onAbort = () => {
        child.kill("SIGKILL");
        finish(() => reject(new AppError("INDEX", "index: the build was stopped; the previous build keeps serving")));
      };
      const onMessage = (m: BuildMessage) => {
        if (m.type === "progress") onProgress?.(m.progress);
        else if (m.type === "done") finish(() => resolve({ dir: m.dir, summary: m.summary, vocabularyGrew: m.vocabularyGrew }));
        else if (m.type === "error") finish(() => reject(new AppError("INDEX", m.message)));
      };
      const onExit = (code: number | null, sig: NodeJS.Signals | null) =>
        finish(() =>
          reject(new AppError("INDEX", `index: the build process exited (${sig ?? `code ${code}`}) before finishing; the previous build keeps serving`)),
        );
      let done = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        this.running = false;
        child.off("message", onMessage);
        child.off("exit", onExit);
        signal?.removeEventListener("abort", onAbort);
        if (child.connected) {
          child.unref();
          child.channel?.unref();
        }
        settle();
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      signal?.addEventListener("abort", onAbort, { once: true });
      child.send(request);
    });
  }

  /** Stop the child (a running build is abandoned). */
  close(): void {
    this.child?.kill("SIGKILL");
    this.child = undefined;
  }

  private ensure(): ChildProcess {
    if (this.child && this.child.connected && this.child.exitCode === null) return this.child;
    const entry = sibling(import.meta.url, "_build-child");
    const child = fork(entry, [], { execArgv: childExecArgv(entry), stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
    child.on("error", () => undefined);
    child.once("exit", () => {
      if (this.child === child) this.child = undefined;
    });
    child.send({ config: this.config });
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }
}
