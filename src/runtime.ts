import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starting this package's own modules in another process or thread: compiled JS runs as it is;
 * TypeScript sources (development, tests) need tsx's loader there too.
 */
const tsx = () =>
  createRequire(import.meta.url)
    .resolve("tsx/package.json")
    .replace(/package\.json$/, "");

/** A sibling module of `from`, as the running code spells it (`.ts` from sources, `.js` from dist). */
export function sibling(from: string, name: string): string {
  return fileURLToPath(new URL(`./${name}${from.endsWith(".ts") ? ".ts" : ".js"}`, from));
}

/** Node flags for a child process running `file`. */
export function childExecArgv(file: string): string[] {
  return file.endsWith(".ts") ? ["--import", pathToFileURL(`${tsx()}dist/loader.mjs`).href] : [];
}

/** A worker thread running `file` (a worker cannot take `--import`, so TypeScript gets a bootstrap that registers tsx). */
export function startWorker(file: string, opts: WorkerOptions = {}): Worker {
  if (!file.endsWith(".ts")) return new Worker(file, opts);
  const api = pathToFileURL(`${tsx()}dist/esm/api/index.mjs`).href;
  const entry = pathToFileURL(file).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, { ...opts, eval: true });
}
