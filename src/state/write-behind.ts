import type { Logger } from "../log.js";
import type { Awaitable } from "./store.js";

/** How long a write waits for a lock another process holds (retrying) before it is given up and logged. */
export const WRITE_RETRY_FOR_MS = 60_000;
/** First pause before a write that met a held lock is tried again; it doubles up to WRITE_RETRY_MAX_PAUSE_MS. */
export const WRITE_RETRY_PAUSE_MS = 100;
export const WRITE_RETRY_MAX_PAUSE_MS = 2_000;

/** Lock contention (SQLite busy/locked, PostgreSQL serialization or lock timeouts, a lost connection): worth trying again. */
function transient(err: unknown): boolean {
  const code = String((err as { code?: unknown } | null)?.code ?? "");
  return /^SQLITE_(BUSY|LOCKED)/.test(code) || ["40001", "40P01", "55P03", "57P01", "ECONNREFUSED", "ECONNRESET"].includes(code) || code.startsWith("08");
}

/**
 * State writes taken off the reply path: the reply goes out first, then its records are written here,
 * one after another, in order. A write that meets a lock held elsewhere waits (without holding up the
 * process) and is tried again; one that fails for good (full disk, damaged file) is logged once, with
 * where it was going, and dropped. Nothing here ever throws at the caller.
 */
export class WriteBehind {
  private queue: Array<{ what: string; write: () => Awaitable<unknown> }> = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    /** Where the writes go, for the log: the state file, or the PostgreSQL database. */
    private readonly where: string,
  ) {}

  /** Write `what` (for the log: "the answer's record") soon, after the current task. */
  add(what: string, write: () => Awaitable<unknown>): void {
    this.queue.push({ what, write });
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drainQueue());
  }

  /** Resolves once every write added so far has been made or given up. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drainQueue(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.attempt(next.what, next.write);
    } finally {
      this.running = undefined;
    }
  }

  private async attempt(what: string, write: () => Awaitable<unknown>): Promise<void> {
    const started = Date.now();
    let pause = WRITE_RETRY_PAUSE_MS;
    for (let tries = 1; ; tries++) {
      try {
        await write();
        if (tries > 1)
          this.log.info({ what, tries, ms: Date.now() - started }, `state: wrote ${what} to ${this.where} once the lock held elsewhere was released`);
        return;
      } catch (err) {
        if (!transient(err) || Date.now() - started + pause > WRITE_RETRY_FOR_MS) {
          this.log.error({ err, what, tries }, `state: could not write ${what} to ${this.where}: ${(err as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, WRITE_RETRY_MAX_PAUSE_MS);
      }
    }
  }
}
