import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../src/config.js";
import { REPO } from "./helpers/core.js";

/** The README is for people who run the bot; engineering notes live in docs/. */
const MAX_README_LINES = 250;

const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
const example = readFileSync(path.join(REPO, ".env.example"), "utf8");

/** The rows of the README's configuration table: variable → default cell, as written. */
function configTable(): Map<string, string> {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Configuration\n"));
  if (!section) throw new Error("README has no ## Configuration section");
  return new Map([...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** `.env.example`'s keys with their example values. */
const exampleValues = () => new Map([...example.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));

describe("the README", () => {
  it(`stays within ${MAX_README_LINES} lines`, () => {
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(MAX_README_LINES);
  });

  it("has its sections in the house order", () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    const order = ["Quick start", "Commands", "Configuration", "How it works", "Development", "Benchmarks"].map((h) => headings.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("lists in its configuration table exactly the keys of the zod schema and of .env.example", () => {
    const table = [...configTable().keys()].sort();
    expect(table).toEqual(Object.keys(configSchema.shape).sort());
    expect(table).toEqual([...exampleValues().keys()].sort());
  });

  it("gives the same defaults as .env.example and the schema", () => {
    const defaults = configSchema.parse({}) as Record<string, unknown>;
    for (const [key, value] of exampleValues()) {
      if (value === "") continue;
      expect({ key, readme: configTable().get(key) }).toEqual({ key, readme: `\`${value}\`` });
      expect({ key, schema: String(defaults[key]) }).toEqual({ key, schema: value });
    }
  });

  it("links only to files that exist", () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect({ link, exists: existsSync(path.join(REPO, link)) }).toEqual({ link, exists: true });
  });

  it("names commands that exist in package.json", () => {
    const scripts = Object.keys((JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    const used = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]!);
    for (const name of new Set(used)) expect(scripts).toContain(name);
  });
});
