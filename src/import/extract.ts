import type { Worker } from "node:worker_threads";
import { sibling, startWorker } from "../runtime.js";
import type { ImportedArticle, ImportOverrides, ImportProblem } from "./source.js";
import type { ShapeCaps } from "./shape.js";

/** Limits on turning one text into an article. */
export interface ExtractLimits {
  /** Wall-clock time for one item's parsing and extraction, in ms; past it the worker is stopped. Default IMPORT_TIMEOUT_MS (15000). */
  timeoutMs: number;
  /** Caps on an HTML page's element tree, checked before parsing. Default `DEFAULT_SHAPE_CAPS`. */
  caps: ShapeCaps;
}

/** One text to turn into an article (the arguments of `articleFromText`). */
export interface ExtractJob {
  source: string;
  text: string;
  kind: "html" | "text";
  overrides: ImportOverrides;
  fetchedUrl: string;
}

export type ExtractRequest = ExtractJob & { id: number; caps: ShapeCaps };
export type ExtractReply = { id: number; result: ImportedArticle | ImportProblem };

/** Time the worker may take to start (load tsx and the parsers) on a busy machine, before any deadline of an item runs. */
const WORKER_START_MS = 60_000;
/** Heap of the worker: a 5 MB page parsed by linkedom needs a few hundred MB; past this the worker dies, not the bot. */
const WORKER_HEAP_MB = 768;

/**
 * One worker thread, started when first needed and kept for the next item; replaced after it is
 * stopped at a deadline or dies. Items go to it one at a time, in order. The thread is a resource of
 * this module, like a connection pool: callers see only `extractArticle`.
 */
let current: { worker: Worker; ready: Promise<void>; failed: Promise<string> } | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 0;

/**
 * Turn a text into an article in a worker thread, within a wall-clock limit: the serving thread only
 * waits. Never throws: a page over the caps, a parser failure, a deadline passed or a dead worker is
 * the item's problem, and the next item gets a fresh worker.
 */
export function extractArticle(job: ExtractJob, limits: ExtractLimits): Promise<ImportedArticle | ImportProblem> {
  const run = queue.then(() => runOne(job, limits));
  queue = run.catch(() => undefined);
  return run.catch((err: unknown) => ({ source: job.source, problem: `the import worker failed (${(err as Error).message})` }));
}

async function runOne(job: ExtractJob, limits: ExtractLimits): Promise<ImportedArticle | ImportProblem> {
  const w = (current ??= start());
  const id = ++nextId;
  let timer: NodeJS.Timeout | undefined;
  w.worker.ref();
  try {
    await Promise.race([w.ready, w.failed.then((why) => Promise.reject(new Error(why)))]);
    const replied = new Promise<ExtractReply["result"]>((resolve) => {
      const onMessage = (m: ExtractReply) => {
        if (m.id !== id) return;
        w.worker.off("message", onMessage);
        resolve(m.result);
      };
      w.worker.on("message", onMessage);
    });
    const request: ExtractRequest = { ...job, id, caps: limits.caps };
    w.worker.postMessage(request);
    const outcome = await Promise.race([
      replied,
      w.failed.then((why): ImportProblem => ({ source: job.source, problem: `the import worker stopped (${why})` })),
      new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), limits.timeoutMs))),
    ]);
    if (outcome !== "late") return outcome;
    // Readability cannot be interrupted from outside: the thread is stopped, and the next item gets a new one.
    stop(w);
    return {
      source: job.source,
      problem: `reading the ${job.kind === "html" ? "page" : "text"} took longer than ${(limits.timeoutMs / 1000).toFixed(0)} s; it was stopped`,
    };
  } finally {
    clearTimeout(timer);
    if (current === w) w.worker.unref();
  }
}

function start(): NonNullable<typeof current> {
  const worker = startWorker(sibling(import.meta.url, "_extract-worker"), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started within ${WORKER_START_MS / 1000} s`)), WORKER_START_MS);
    const onReady = (m: { ready?: boolean }) => {
      if (!m.ready) return;
      clearTimeout(timer);
      worker.off("message", onReady);
      resolve();
    };
    worker.on("message", onReady);
  });
  const failed = new Promise<string>((resolve) => {
    worker.once("error", (err) => resolve(err.message));
    worker.once("exit", (code) => resolve(`exit code ${code}`));
  });
  const w = { worker, ready, failed };
  void failed.then(() => {
    if (current === w) current = undefined;
  });
  ready.catch(() => stop(w));
  return w;
}

function stop(w: NonNullable<typeof current>): void {
  if (current === w) current = undefined;
  void w.worker.terminate();
}
