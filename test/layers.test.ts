import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers of `src/`, lowest first: a module may import from its own layer and the layers below it,
 * never from one above. The tree reads like the pipeline (corpus → passages → embeddings → index →
 * retrieval → answer → surfaces), and an upward import is how a cycle starts.
 */
const LAYERS: string[][] = [
  // Shared foundations: configuration, errors, logging, text helpers, type shims.
  ["config.ts", "errors.ts", "log.ts", "scrub.ts", "terminal.ts", "runtime.ts", "text", "types"],
  ["corpus"],
  ["passages"],
  ["embeddings"],
  ["index"],
  // Word knowledge a query and a sentence are read with: answer types, WordNet, countries, bridges.
  ["lexicon"],
  ["retrieval"],
  ["answer"],
  ["llm"],
  ["state"],
  ["service"],
  ["conversation"],
  ["gaps"],
  ["import"],
  // The surfaces: the CLI and the bot share entry-point helpers.
  ["cli", "discord"],
];

const SRC = path.resolve(import.meta.dirname, "../src");

/** The layer a path under src/ belongs to: its first folder, or the file itself at the top. */
function unitOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!;
}

function layerOf(file: string): number {
  const unit = unitOf(file);
  const at = LAYERS.findIndex((l) => l.includes(unit));
  if (at < 0) throw new Error(`layers: ${path.relative(SRC, file)} is in no layer; add "${unit}" to LAYERS`);
  return at;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/**
 * Relative module specifiers of a file: static imports and exports, and dynamic imports. `values`: only
 * those that load the module when this one is loaded (not `import type`, which the compiler erases, nor `import()`).
 */
function importsOf(file: string, opts: { values?: boolean } = {}): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s)?[^;]*?\sfrom\s+["'](\.{1,2}\/[^"']+)["']/g))
    if (!(opts.values && m[1])) found.push(m[2]!);
  // A dynamic import loads later, on demand: it is how a module that must not load another at start-up reaches it.
  if (!opts.values) for (const m of text.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)) found.push(m[1]!);
  return found.map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
}

/** Groups of files that import each other in a loop (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) found.push(group);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("the layers of src/", () => {
  const files = sources(SRC);

  it("put every source file in a layer", () => {
    for (const f of files) expect(() => layerOf(f)).not.toThrow();
  });

  it("never import from a layer above", () => {
    const upward: string[] = [];
    for (const f of files) {
      for (const target of importsOf(f)) {
        if (layerOf(target) > layerOf(f)) upward.push(`${path.relative(SRC, f)} imports ${path.relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("keep a folder's _-prefixed files to that folder", () => {
    const reaching: string[] = [];
    for (const f of files) {
      for (const target of importsOf(f)) {
        if (path.basename(target).startsWith("_") && path.dirname(target) !== path.dirname(f))
          reaching.push(`${path.relative(SRC, f)} imports ${path.relative(SRC, target)}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  it("never import in a loop, even within a layer", () => {
    const graph = new Map(files.map((f) => [f, importsOf(f, { values: true })]));
    expect(cycles(graph).map((group) => group.map((f) => path.relative(SRC, f)).sort())).toEqual([]);
  });

  it("see an upward import and a loop when there is one", () => {
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["c", "b", "a"]]);
    // The check itself: a file in answer/ importing discord/ is above it.
    expect(layerOf(path.join(SRC, "discord/bot.ts"))).toBeGreaterThan(layerOf(path.join(SRC, "answer/answer.ts")));
    expect(importsOf(path.join(SRC, "discord/bot.ts")).length).toBeGreaterThan(0);
  });
});
