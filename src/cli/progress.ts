import cliProgress from "cli-progress";
import type { BuildProgress } from "../core.js";

/**
 * Build progress for a terminal: a bar on a TTY, a plain line per phase (and every 10%) elsewhere,
 * always on stderr so `--json` output stays clean.
 */
export function buildProgressReporter(stream: NodeJS.WriteStream = process.stderr): (p: BuildProgress) => void {
  const tty = stream.isTTY === true && !process.env["CI"];
  let bar: cliProgress.SingleBar | undefined;
  let lastPhase = "";
  let lastTenth = -1;
  return (p) => {
    if (tty) {
      if (p.phase === "embed") {
        if (!bar) {
          bar = new cliProgress.SingleBar({ stream, format: "embedding passages [{bar}] {value}/{total} {percentage}% eta {eta}s", hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(p.total, p.done);
        }
        bar.update(p.done);
      } else if (bar) {
        bar.stop();
        bar = undefined;
      }
      if (p.phase !== "embed" && p.phase !== lastPhase) stream.write(`${label(p)}\n`);
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

function label(p: BuildProgress): string {
  switch (p.phase) {
    case "load":
      return "index: reading corpus";
    case "embed":
      return `index: embedding passages ${p.done}/${p.total}`;
    case "write":
      return "index: writing index";
    case "done":
      return "index: done";
  }
}
