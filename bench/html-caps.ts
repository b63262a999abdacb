/**
 * Where MAX_HTML_DEPTH and MAX_HTML_ELEMENTS (src/import/shape.ts) come from: how long Readability
 * over linkedom takes as a page nests deeper or holds more elements, and what the shape check costs on
 * the pages it refuses. Developer-written pages only. `npx tsx bench/html-caps.ts` (about 30 s).
 */
import { extractPage } from "../src/import/html.js";
import { htmlShapeProblem } from "../src/import/shape.js";
import { describeMachine } from "./machine.js";

const PARA = "<p>The harbour council met on Tuesday evening and voted to repair the north pier before summer, the mayor said.</p>";
const nested = (depth: number) => `<html><body>${"<div>".repeat(depth)}${PARA.repeat(5)}${"</div>".repeat(depth)}</body></html>`;
const flat = (elements: number) => `<html><body><article>${PARA.repeat(5)}${"<div><span>x</span></div>".repeat(elements / 2)}</article></body></html>`;

const ms = (f: () => unknown) => {
  const t0 = performance.now();
  f();
  return Math.round(performance.now() - t0);
};

console.log(`# Readability over linkedom, one run each, on ${describeMachine()}`);
for (const depth of [100, 250, 500, 1000]) console.log(`depth ${depth}: extract ${ms(() => extractPage(nested(depth)))} ms`);
for (const n of [10_000, 30_000, 50_000]) console.log(`elements ${n}: extract ${ms(() => extractPage(flat(n)))} ms`);
for (const depth of [8000, 200_000]) {
  const page = nested(depth);
  console.log(`depth ${depth} (${(page.length / 1024).toFixed(0)} KB): shape check ${ms(() => htmlShapeProblem(page))} ms`);
}
