import type { Worker } from "node:worker_threads";
import type { Config } from "../config.js";
import type { PassageEmbedder } from "../embeddings/provider.js";
import { AppError } from "../errors.js";
import { sibling, startWorker } from "../runtime.js";
import type { FileToPrepare, PreparedFile } from "./prepare.js";

/** A reply of a prepare worker. */
export type PrepareReply = { id: number; prepared: PreparedFile[] } | { id: number; error: string };

/**
 * Worker threads that read, parse, split, attribute and embed batches of corpus files (`prepareFiles`)
 * while the build thread writes SQLite and a graph thread inserts. Each worker opens its own embedder
 * from the config when the first batch comes.
 */
export class PreparePool {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (p: PreparedFile[]) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(
    private readonly config: Config,
    private readonly size: number,
  ) {}

  readonly prepare = (corpusDir: string, files: FileToPrepare[], _embedder: PassageEmbedder): Promise<PreparedFile[]> => {
    if (this.workers.length === 0) this.start();
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, corpusDir, files });
    });
  };

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }

  private start(): void {
    const entry = sibling(import.meta.url, "_prepare-worker");
    for (let i = 0; i < this.size; i++) {
      const w = startWorker(entry, { workerData: { config: this.config } });
      w.on("message", (m: PrepareReply) => {
        const waiter = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if ("error" in m) waiter?.reject(new AppError("INDEX", m.error));
        else waiter?.resolve(m.prepared);
      });
      w.on("error", (err) => {
        for (const waiter of this.waiting.values()) waiter.reject(new AppError("INDEX", `index: a prepare worker failed: ${err.message}`));
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }
}
