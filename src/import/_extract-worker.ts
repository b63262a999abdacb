import { parentPort } from "node:worker_threads";
import type { ExtractReply, ExtractRequest } from "./extract.js";
import { articleFromText } from "./parse.js";
import { htmlShapeProblem } from "./shape.js";

/**
 * Entry of the import worker: turns one page or file text into an article, off the serving thread.
 * The shape of HTML is checked before it is parsed, so a page too deep or too large for Readability
 * is refused in milliseconds instead of parsed for minutes. Anything that throws (Readability's stack
 * overflow, a bad regular expression on odd text) becomes that item's problem.
 */
parentPort!.on("message", (m: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    const shape = m.kind === "html" ? htmlShapeProblem(m.text, m.caps) : undefined;
    reply = { id: m.id, result: shape ? { source: m.source, problem: shape } : articleFromText(m.source, m.text, m.kind, m.overrides, m.fetchedUrl) };
  } catch (err) {
    reply = { id: m.id, result: { source: m.source, problem: `the ${m.kind === "html" ? "page" : "text"} could not be read (${(err as Error).message})` } };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
