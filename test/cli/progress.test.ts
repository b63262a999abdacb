import { describe, expect, it } from "vitest";
import { buildProgressReporter } from "../../src/cli/progress.js";
import { terminalFor } from "../../src/terminal.js";

/** A stream that records what it was given, as a terminal (isTTY) or a pipe. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, columns: 100, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes, text: () => writes.join("") };
}

/** What a terminal shows at the end: each "\r\x1b[K" wipes back to the start of the current line. */
function screen(text: string): string[] {
  const lines: string[] = [""];
  for (const part of text.split(/(\r\u001b\[K|\n)/)) {
    if (part === "\r\u001b[K") lines[lines.length - 1] = "";
    else if (part === "\n") lines.push("");
    else lines[lines.length - 1] += part;
  }
  return lines;
}

describe("build progress", () => {
  it("counts articles, in plain lines when stderr is not a terminal", () => {
    const { stream, text } = fakeStream(false);
    const report = buildProgressReporter(stream);
    report({ phase: "load", done: 0, total: 1 });
    report({ phase: "embed", done: 0, total: 40 });
    report({ phase: "embed", done: 40, total: 40 });
    report({ phase: "write", done: 0, total: 1 });
    report({ phase: "done", done: 1, total: 1 });
    expect(text().split("\n")).toEqual([
      "index: reading corpus",
      "index: embedding articles 0/40",
      "index: embedding articles 40/40",
      "index: writing index",
      "index: done",
      "",
    ]);
  });

  it("keeps the bar whole on a terminal while log lines are written above it", () => {
    const { stream, text } = fakeStream(true);
    // A terminal that draws the bar, whether or not this suite runs under CI=true.
    const report = buildProgressReporter(stream, { bar: true });
    const terminal = terminalFor(stream);
    report({ phase: "load", done: 0, total: 1 });
    report({ phase: "embed", done: 10, total: 40 });
    terminal.write("12:00:00 INFO: converting the word vectors\n");
    report({ phase: "embed", done: 20, total: 40 });
    const shown = screen(text());
    expect(shown).toEqual([
      "index: reading corpus",
      "12:00:00 INFO: converting the word vectors",
      expect.stringMatching(/^index: embedding articles \[█{12}░{12}\] 20\/40 50%$/),
    ]);
    report({ phase: "write", done: 0, total: 1 });
    expect(screen(text()).slice(2)).toEqual(["index: writing index", ""]);
  });
});
