import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { expandInputs } from "../../src/import/source.js";
import { scratch } from "../helpers/core.js";

describe("expanding import inputs", () => {
  let dir: ReturnType<typeof scratch>;
  afterEach(() => dir.cleanup());

  it("walks a folder by the corpus rule: a link out of it and a loop into it are reported once and skipped", async () => {
    dir = scratch({ corpus: false });
    const inDir = path.join(dir.root, "in");
    mkdirSync(path.join(inDir, "sub"), { recursive: true });
    mkdirSync(path.join(dir.root, "home"));
    writeFileSync(path.join(inDir, "one.txt"), "One\n\nA text.\n");
    writeFileSync(path.join(inDir, "sub", "two.html"), "<p>Two</p>\n");
    writeFileSync(path.join(dir.root, "home", "notes.txt"), "Notes\n\nNot for import.\n");
    symlinkSync(path.join(dir.root, "home"), path.join(inDir, "home"));
    symlinkSync("..", path.join(inDir, "sub", "loop"));
    const { sources, problems } = await expandInputs([inDir]);
    expect(sources).toEqual([path.join(inDir, "one.txt"), path.join(inDir, "sub", "two.html")]);
    expect(problems).toEqual([
      { source: path.join(inDir, "home"), problem: "a link that leads outside the folder being imported: skipped" },
      { source: path.join(inDir, "sub", "loop"), problem: "a link loop (back to the folder being imported): skipped, so nothing is read twice" },
    ]);
  });
});
