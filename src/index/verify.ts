import type { Worker } from "node:worker_threads";
import { AppError } from "../errors.js";
import { sibling, startWorker } from "../runtime.js";

/** Messages to the verifier thread. */
type Request = { type: "hash"; file: string } | { type: "quick_check"; file: string; max: number };
export type VerifyRequest = Request & { id: number };
export type VerifyReply = { id: number; value: string | string[] } | { id: number; error: string };

/** Problems `PRAGMA quick_check` reports at most: the first one is enough to call a build damaged. */
const QUICK_CHECK_MAX = 5;

/**
 * Checks of a build's files in a thread of their own, so that neither a swap nor start-up blocks the
 * event loop on them: a graph file's sha256 (126 MB at 10k articles) before hnswlib may read it, and
 * SQLite's `quick_check` over every page of the database. One thread per process, started on first
 * use and kept (unreferenced) for the next build; requests run in the order they were made.
 */
export class Verifier {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: string | string[]) => void; reject: (err: Error) => void }>();

  /** sha256 of a file, in hex. */
  async hash(file: string): Promise<string> {
    return (await this.request({ type: "hash", file })) as string;
  }

  /** What `PRAGMA quick_check` finds wrong in a database: empty when it is intact. A file SQLite cannot read at all throws. */
  async quickCheck(file: string): Promise<string[]> {
    return (await this.request({ type: "quick_check", file, max: QUICK_CHECK_MAX })) as string[];
  }

  private request(m: Request): Promise<string | string[]> {
    const worker = this.ensure();
    const id = this.next++;
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...m, id } satisfies VerifyRequest);
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(sibling(import.meta.url, "_verify-worker"));
    worker.on("message", (m: VerifyReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if ("error" in m) p.reject(new AppError("INDEX", m.error));
      else p.resolve(m.value);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new AppError("INDEX", `index: the verifier thread failed: ${err.message}`));
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** The process's one verifier thread. */
export const verifier = new Verifier();
