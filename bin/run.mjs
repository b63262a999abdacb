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
const compiled = new URL(`../dist/${name}.js`, import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL(`../src/${name}.ts`, import.meta.url).href);
}
