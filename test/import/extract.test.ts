import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSource } from "../../src/import/source.js";
import { REPO } from "../helpers/core.js";
import { busyPage, nestedPage } from "../helpers/hostile-pages.js";
import { PagesServer } from "../helpers/pages-server.js";

const limits = { timeoutMs: 1000, maxBytes: 5 * 1024 * 1024, maxRedirects: 3 };

describe("reading pages in the import worker", () => {
  const site = new PagesServer();
  beforeAll(async () => {
    site
      .route("/news/ferry", { body: readFileSync(path.join(REPO, "test", "fixtures", "import", "html", "ferry-timetable.html")) })
      // Within the caps, but Readability needs seconds for it (measured 1.5 s per 10,000 elements).
      .route("/busy", { body: busyPage(29_000) })
      .route("/deep", { body: nestedPage(8000) });
    await site.start();
  });
  afterAll(() => site.stop());

  it("stops a page whose extraction passes the deadline, keeps the event loop free meanwhile, and reads the next page with a fresh worker", async () => {
    // Warm the worker first: its start-up (loading tsx and the parsers) is not part of an item's deadline.
    expect(await readSource(site.url("/news/ferry"), {}, { fetch: limits })).toMatchObject({
      title: "Harbour ferry adds dawn crossing after commuter petition",
    });
    let ticks = 0;
    let worstGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      ticks++;
    }, 20);
    const t0 = performance.now();
    const busy = await readSource(site.url("/busy"), {}, { fetch: limits });
    const took = performance.now() - t0;
    clearInterval(timer);
    expect(busy).toEqual({ source: site.url("/busy"), problem: "reading the page took longer than 1 s; it was stopped" });
    expect(took).toBeLessThan(10_000);
    expect(ticks).toBeGreaterThan(10);
    // Generous for a loaded machine: what matters is that no multi-second parse ran on this thread.
    expect(worstGap).toBeLessThan(1000);
    expect(await readSource(site.url("/news/ferry"), {}, { fetch: limits })).toMatchObject({
      title: "Harbour ferry adds dawn crossing after commuter petition",
    });
  }, 60_000);

  it("refuses a page over the caps, naming the cap it broke", async () => {
    expect(await readSource(site.url("/deep"), {}, { fetch: limits })).toEqual({
      source: site.url("/deep"),
      problem: "the page nests elements more than 256 deep, more than a news article needs; it is not parsed",
    });
    expect(await readSource(site.url("/deep"), {}, { fetch: limits, caps: { maxDepth: 100, maxElements: 10 } })).toEqual({
      source: site.url("/deep"),
      problem: "the page has more than 10 elements, more than a news article needs; it is not parsed",
    });
  }, 60_000);
});
