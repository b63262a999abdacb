import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SHAPE_CAPS, htmlShapeProblem, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from "../../src/import/shape.js";
import { REPO } from "../helpers/core.js";
import { nestedPage } from "../helpers/hostile-pages.js";

describe("checking an HTML page's shape before parsing it", () => {
  it("refuses 8,000 and 200,000 nested elements in milliseconds, naming the cap", () => {
    for (const depth of [8000, 200_000]) {
      const t0 = performance.now();
      expect(htmlShapeProblem(nestedPage(depth))).toBe(
        `the page nests elements more than ${MAX_HTML_DEPTH} deep, more than a news article needs; it is not parsed`,
      );
      // Not a timing assertion on the product: a bound far above the measured few ms, to show no tree is built.
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it("refuses a flat page with more elements than the cap", () => {
    const page = `<html><body>${"<span>x</span>".repeat(MAX_HTML_ELEMENTS + 1)}</body></html>`;
    expect(htmlShapeProblem(page)).toBe(`the page has more than ${MAX_HTML_ELEMENTS} elements, more than a news article needs; it is not parsed`);
  });

  it("takes every developer-written news page, and pages nested up to the cap", () => {
    const dir = path.join(REPO, "test", "fixtures", "import", "html");
    for (const f of readdirSync(dir)) expect(htmlShapeProblem(readFileSync(path.join(dir, f), "utf8")), f).toBeUndefined();
    // <html> and <body> count too.
    expect(htmlShapeProblem(nestedPage(MAX_HTML_DEPTH - 2))).toBeUndefined();
    expect(htmlShapeProblem(nestedPage(MAX_HTML_DEPTH - 1))).toBeDefined();
  });

  it("does not count unclosed paragraphs, void elements, self-closed tags, or tags inside scripts and comments as nesting", () => {
    const n = DEFAULT_SHAPE_CAPS.maxDepth * 2;
    const page = `<html><body>${"<p>One more paragraph".repeat(n)}${"<br><img src=x.png>".repeat(n)}${"<svg/>".repeat(n)}<script>${"<div>".repeat(n)}</script><!-- ${"<div>".repeat(n)} --><div title="a > b">${"<li>item".repeat(n)}</div></body></html>`;
    expect(htmlShapeProblem(page)).toBeUndefined();
  });
});
