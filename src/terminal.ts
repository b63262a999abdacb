/**
 * One terminal shared by the logs and the progress bar. Both write to stderr; a log line written while
 * a bar is drawn would land in the middle of it. Every write goes through here instead: the bar's line
 * is wiped, the text written, and the bar drawn again under it.
 */
export interface Terminal {
  /** Write whole lines (ending in "\n") above the status line. */
  write(text: string): void;
  /** Show or replace the one status line (a progress bar); `undefined` removes it. */
  status(line: string | undefined): void;
}

/** The carriage return and "erase to the end of the line" that wipe a status line before it is redrawn. */
const WIPE = "\r\u001b[K";

/** What is drawn on a stream now, kept per stream: there is one cursor per terminal, whoever writes. */
const terminals = new WeakMap<NodeJS.WritableStream, Terminal>();

/** The terminal of a stream (process.stderr by default), the same object for every caller. */
export function terminalFor(stream: NodeJS.WritableStream & { columns?: number } = process.stderr): Terminal {
  const known = terminals.get(stream);
  if (known) return known;
  let line: string | undefined;
  const fit = (text: string) => (stream.columns && text.length >= stream.columns ? text.slice(0, stream.columns - 1) : text);
  const terminal: Terminal = {
    write(text) {
      stream.write(line === undefined ? text : `${WIPE}${text}${fit(line)}`);
    },
    status(next) {
      if (next === undefined) {
        if (line !== undefined) stream.write(WIPE);
      } else stream.write(`${WIPE}${fit(next)}`);
      line = next;
    },
  };
  terminals.set(stream, terminal);
  return terminal;
}
