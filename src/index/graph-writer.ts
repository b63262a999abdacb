import type { Worker } from "node:worker_threads";
import { AppError } from "../errors.js";
import { sibling, startWorker } from "../runtime.js";
import type { HnswSettings } from "./hnsw-store.js";

/** Messages to a graph thread: points to insert (`dims` floats each), then the file to write. */
export type GraphRequest = { type: "add"; vectors: Float32Array; labels: number[] } | { type: "write"; file: string };

type GraphReply = { type: "added"; count: number } | { type: "written"; count: number } | { type: "error"; message: string };

/** Points queued for the thread at most: past this, adding waits for it (it is the build's slowest stage; its queue held gigabytes at 100k articles). */
const MAX_QUEUED = 32_768;

/**
 * A graph built in a thread of its own. A full build inserts a few hundred thousand points (half of
 * the build's work when done in the build thread); here insertion runs next to the SQLite writes and
 * the prepare workers. Points are added in order, so the graph is the one the build thread would make.
 */
export class GraphWriter {
  private readonly worker: Worker;
  private failure: Error | undefined;
  private waiting: { resolve: (count: number) => void; reject: (err: Error) => void } | undefined;
  private queued = 0;
  private drained: { resolve: () => void; reject: (err: Error) => void } | undefined;

  constructor(dims: number, settings: HnswSettings) {
    this.worker = startWorker(sibling(import.meta.url, "_graph-worker"), { workerData: { dims, settings } });
    this.worker.on("message", (m: GraphReply) => {
      if (m.type === "error") this.fail(new AppError("INDEX", `index: building the graph failed: ${m.message}`));
      else if (m.type === "added") {
        this.queued -= m.count;
        if (this.queued <= MAX_QUEUED / 2) {
          this.drained?.resolve();
          this.drained = undefined;
        }
      } else this.waiting?.resolve(m.count);
    });
    this.worker.on("error", (err) => this.fail(new AppError("INDEX", `index: the graph thread failed: ${err.message}`)));
  }

  /**
   * Queue points for insertion; `vectors` is handed over to the thread (unusable here afterwards).
   * Resolves once the queue is short enough to take more.
   */
  async add(vectors: Float32Array, labels: number[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.worker.postMessage({ type: "add", vectors, labels } satisfies GraphRequest, [vectors.buffer as ArrayBuffer]);
    this.queued += labels.length;
    if (this.queued > MAX_QUEUED) await new Promise<void>((resolve, reject) => (this.drained = { resolve, reject }));
  }

  /** Write the graph once every queued point is in; resolves with its point count. */
  write(file: string): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage({ type: "write", file } satisfies GraphRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.waiting?.reject(err);
    this.waiting = undefined;
    this.drained?.reject(err);
    this.drained = undefined;
  }
}
