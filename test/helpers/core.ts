import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/log.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

export const REPO = path.resolve(import.meta.dirname, "..", "..");
export const REPO_CORPUS = path.join(REPO, "corpus");

/** A scratch folder with a copy of the real corpus and an empty data dir; removed by `cleanup`. */
export function scratch(opts: { corpus?: boolean } = {}): { root: string; corpusDir: string; dataDir: string; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), "newsbot-"));
  const corpusDir = path.join(root, "corpus");
  const dataDir = path.join(root, "data");
  if (opts.corpus !== false) cpSync(REPO_CORPUS, corpusDir, { recursive: true });
  return { root, corpusDir, dataDir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function testConfig(env: Record<string, string>): Config {
  return loadConfig({ CACHE_DIR: TEST_CACHE_DIR, LOG_LEVEL: "silent", ...env });
}

/** A logger whose lines the test can read. */
export function memoryLogger(): { log: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const log = createLogger({ level: "debug", destination: { write: (s: string) => void chunks.push(s) } });
  return {
    log,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
