import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/core.js";

/** A systemd unit file as sections of key → values (a key may repeat), comments and blank lines left out. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair || !current) throw new Error(`line ${i + 1} is neither a section, a key=value nor a comment: ${raw}`);
    current.set(pair[1]!, [...(current.get(pair[1]!) ?? []), pair[2]!]);
  }
  return sections;
}

describe("the shipped systemd unit", () => {
  const unit = parseUnit(readFileSync(path.join(REPO, "deploy", "news-cite-bot.service"), "utf8"));
  const service = unit.get("Service")!;
  const execStart = service.get("ExecStart")![0]!.split(/\s+/);

  it("parses into the Unit, Service and Install sections", () => {
    expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
    expect(unit.get("Install")!.get("WantedBy")).toEqual(["multi-user.target"]);
    expect(service.get("Restart")).toEqual(["on-failure"]);
  });

  it("starts the bot's real entry point with an absolute node", () => {
    expect(execStart[0]).toMatch(/^\/.*\/node$/);
    const script = execStart.find((a) => a.endsWith(".mjs"))!;
    expect(existsSync(path.join(REPO, script))).toBe(true);
    const entry = execStart[execStart.indexOf(script) + 1]!;
    expect(existsSync(path.join(REPO, "src", `${entry}.ts`))).toBe(true);
    expect(entry).toBe("discord/main");
  });

  it("gives node the same flags as npm start", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const start = pkg.scripts["start"]!.split(/\s+/);
    expect(start[0]).toBe("node");
    expect(execStart.slice(1)).toEqual(start.slice(1));
  });

  it("lets the bot write only its data and corpus folders, inside its working directory", () => {
    const dir = service.get("WorkingDirectory")![0]!;
    const writable = service.get("ReadWritePaths")![0]!.split(/\s+/);
    expect(writable).toEqual([`${dir}/.data`, `${dir}/corpus`]);
  });
});
