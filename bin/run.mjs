#!/usr/bin/env node
// Run one entry point (`cli/ask`, `discord/main`, …): the compiled JS in dist/ when `npm run build`
// has produced it, the TypeScript sources through tsx otherwise (development).
import { existsSync } from "node:fs";

const name = process.argv[2];
if (!name || !/^[a-z-]+\/[a-z-]+$/.test(name)) {
  process.stderr.write("run: usage: bin/run.mjs <folder>/<entry> [args…], e.g. cli/ask\n");
  process.exit(2);
}
// The entry parses process.argv itself: it must not see its own name.
process.argv.splice(2, 1);
loadDotEnv();
const compiled = new URL(`../dist/${name}.js`, import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL(`../src/${name}.ts`, import.meta.url).href);
}

/**
 * `.env` in the working directory, read once here so every entry point (npm start, ask, index, import,
 * register, gaps) sees it, before src/config.ts parses the environment. A variable already set in the
 * environment wins: Node's loader never overwrites one. No file is fine; a file that cannot be read is
 * said in one line, because a token silently ignored looks like "DISCORD_TOKEN is not set".
 */
function loadDotEnv() {
  if (typeof process.loadEnvFile !== "function") {
    process.stderr.write(`run: Node ${process.versions.node} cannot read .env; news-cite-bot needs Node 20.12 or later\n`);
    process.exit(1);
  }
  try {
    process.loadEnvFile(".env");
  } catch (err) {
    if (err && err.code === "ENOENT") return;
    process.stderr.write(`run: cannot read .env in ${process.cwd()}: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
