import { terminalFor } from "../terminal.js";
import type { BuildProgress } from "../index/build.js";

/** Width of the bar itself, in characters. */
const BAR_WIDTH = 24;

/**
 * Build progress for a person: on a TTY a bar on the last line, which log lines written meanwhile
 * pass above (both go through `terminalFor`); elsewhere a plain line per phase and every 10%. Always
 * on stderr, so `--json` output stays clean. The words say what is counted: articles read and
 * embedded, not passages.
 */
export function buildProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  /** Draw the bar: on a terminal, unless a CI runner only pretends to be one. Default from the stream and `CI`. */
  opts: { bar?: boolean } = {},
): (p: BuildProgress) => void {
  const tty = opts.bar ?? (stream.isTTY === true && !process.env["CI"]);
  const terminal = terminalFor(stream);
  let lastPhase = "";
  let lastTenth = -1;
  return (p) => {
    if (tty) {
      if (p.phase === "embed") terminal.status(bar(p));
      else if (p.phase !== lastPhase) {
        terminal.status(undefined);
        terminal.write(`${label(p)}\n`);
      }
    } else {
      const tenth = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 10;
      if (p.phase !== lastPhase || (p.phase === "embed" && tenth !== lastTenth)) {
        stream.write(`${label(p)}\n`);
        lastTenth = tenth;
      }
    }
    lastPhase = p.phase;
  };
}

/** `index: embedding articles [██████░░░░] 12/40 30%` */
function bar(p: BuildProgress): string {
  const share = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  return `index: embedding articles [${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${p.done}/${p.total} ${Math.round(share * 100)}%`;
}

function label(p: BuildProgress): string {
  switch (p.phase) {
    case "load":
      return "index: reading corpus";
    case "embed":
      return `index: embedding articles ${p.done}/${p.total}`;
    case "write":
      return "index: writing index";
    case "done":
      return "index: done";
  }
}
