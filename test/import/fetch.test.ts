import { readFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressProblem, type AddressGuard } from "../../src/import/address.js";
import { fetchPage } from "../../src/import/fetch.js";
import { readSource } from "../../src/import/source.js";
import { REPO } from "../helpers/core.js";
import { PagesServer } from "../helpers/pages-server.js";

const html = (name: string) => readFileSync(path.join(REPO, "test", "fixtures", "import", "html", `${name}.html`), "utf8");
const limits = { timeoutMs: 1500, maxBytes: 5 * 1024 * 1024, maxRedirects: 3 };
const settings = { fetch: limits };

describe("importing pages over http", () => {
  const site = new PagesServer();
  beforeAll(async () => {
    site
      // A news page with navigation, ads, captions and related links, and JSON-LD NewsArticle metadata.
      .route("/news/ferry", { body: html("ferry-timetable") })
      // Open Graph only: no JSON-LD, no canonical link.
      .route("/news/bridge", { body: html("bridge-repairs") })
      .route("/moved", { status: 301, body: "", headers: { location: "/news/ferry" } })
      .route("/loop", { status: 302, body: "", headers: { location: "/loop" } })
      .route("/image.png", { type: "image/png", body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) })
      .route("/feed.json", { type: "application/json", body: "{}" })
      .route("/latin1", {
        type: "text/html; charset=iso-8859-1",
        body: iconv.encode(html("bridge-repairs").replace("Drivers will", "Caf\u00e9 drivers will"), "latin1"),
      })
      .route("/empty-page", { body: "<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>" })
      .route("/slow", (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.write("<html><body><p>Starting");
        // Never finishes within the deadline.
        setTimeout(() => res.end("</p></body></html>"), 5000).unref();
      })
      .route("/huge", (_req, res) => {
        // 30 MB, streamed without a content-length, so only the running count can stop it.
        res.writeHead(200, { "content-type": "text/html" });
        const chunk = Buffer.alloc(1024 * 1024, "<p>word word word word word word word.</p>\n");
        let sent = 0;
        const push = () => {
          while (sent < 30) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", push);
          }
          res.end();
        };
        res.on("error", () => undefined);
        push();
      })
      .route("/to-private", { status: 301, body: "", headers: { location: "http://10.0.0.1/news" } })
      .route("/to-metadata", { status: 302, body: "", headers: { location: "http://169.254.169.254/latest/meta-data/" } })
      .route("/to-mapped", { status: 302, body: "", headers: { location: "http://[::ffff:10.0.0.1]/news" } })
      .route("/to-intranet", { status: 302, body: "", headers: { location: "http://intranet.example/news" } })
      .route("/to-loopback", (_req, res) => void res.writeHead(302, { location: `http://127.0.0.2:${site.port}/news/ferry` }).end())
      .route("/hop", (_req, res) => void res.writeHead(302, { location: `http://rebind.example:${site.port}/news/ferry` }).end())
      .route("/huge-declared", { body: Buffer.alloc(30 * 1024 * 1024, "a"), headers: { "content-length": String(30 * 1024 * 1024) } });
    await site.start();
  });
  afterAll(() => site.stop());

  it("takes a news page's text and JSON-LD metadata, leaving navigation, ads and related links behind", async () => {
    const a = await readSource(site.url("/news/ferry"), {}, settings);
    expect("problem" in a).toBe(false);
    if ("problem" in a) return;
    expect(a).toMatchObject({
      title: "Harbour ferry adds dawn crossing after commuter petition",
      publisher: "The Harbour Ledger",
      url: "https://harbourledger.example/news/2025/03/ferry-dawn-crossing",
      published: "2025-03-15T08:00:00Z",
      author: "Mira Castell",
    });
    expect(a.body.split("\n\n")[0]).toBe("Caption: The Gull Point ferry leaving the north pier at first light.");
    expect(a.body).toContain("The first trial crossing is set for April 7.");
    for (const chrome of ["Advertisement", "Related stories", "Subscribe", "cookies", "Share on social", "All rights reserved", "By Mira"])
      expect(a.body).not.toContain(chrome);
  });

  it("reads Open Graph metadata when a page has nothing else, and normalises its free-text date", async () => {
    const a = await readSource(site.url("/news/bridge"), {}, settings);
    expect(a).toMatchObject({
      title: "Old Mill bridge to close for six weeks of repairs",
      publisher: "Riverside Daily",
      url: "https://riversidedaily.example/transport/old-mill-bridge-closure",
      published: "2024-10-18",
      author: "Hannah Weiss",
    });
  });

  it("follows a few redirects and stops at a loop", async () => {
    const a = await fetchPage(site.url("/moved"), limits);
    expect(a).toMatchObject({ url: site.url("/news/ferry"), kind: "html" });
    expect(await fetchPage(site.url("/loop"), limits)).toEqual({ problem: "more than 3 redirects" });
  });

  it("says what went wrong with a 404, a slow server, a 30 MB page and a non-HTML answer", async () => {
    expect(await readSource(site.url("/no-such-page"), {}, settings)).toEqual({
      source: site.url("/no-such-page"),
      problem: "the server answered 404 Not Found",
    });
    const t0 = Date.now();
    expect(await fetchPage(site.url("/slow"), limits)).toEqual({ problem: "no complete answer within 2 s" });
    expect(Date.now() - t0).toBeLessThan(4500);
    expect(await fetchPage(site.url("/huge"), limits)).toEqual({ problem: "the page is larger than 5.0 MB" });
    expect(await fetchPage(site.url("/huge-declared"), limits)).toEqual({ problem: "the page is larger than 5.0 MB" });
    expect(await fetchPage(site.url("/image.png"), limits)).toEqual({
      problem: "not a web page (content type image/png); only HTML and plain text can be imported",
    });
    expect(await fetchPage(site.url("/feed.json"), limits)).toEqual({
      problem: "not a web page (content type application/json); only HTML and plain text can be imported",
    });
    expect(await readSource(site.url("/empty-page"), {}, settings)).toMatchObject({ problem: "no article text found on the page" });
    expect(await fetchPage("ftp://127.0.0.1/x", limits)).toEqual({ problem: "only http and https links can be fetched (got ftp:)" });
  });

  it("decodes a page in its declared charset", async () => {
    const a = await readSource(site.url("/latin1"), {}, settings);
    expect("body" in a && a.body).toContain("Café drivers will be sent over the Station Road crossing");
  });

  it("with a guard, refuses a redirect to a private, metadata or loopback address, and a name that resolves to one, before connecting", async () => {
    const resolved: string[] = [];
    // The test site lives on 127.0.0.1, so that one address is let through; every other is judged as in production.
    const names: Record<string, string[]> = { "intranet.example": ["10.1.2.3"], "rebind.example": ["127.0.0.1", "10.0.0.1"] };
    const guard: AddressGuard = {
      refuse: (ip) => (ip === "127.0.0.1" ? undefined : addressProblem(ip)),
      resolve: async (host) => {
        resolved.push(host);
        const list = names[host] ?? [];
        // A name that answers differently each time (DNS rebinding): the first answer, then the next.
        const address = host === "rebind.example" ? list[resolved.filter((h) => h === host).length - 1]! : list[0]!;
        return [{ address, family: 4 }];
      },
    };
    const guarded = { ...limits, guard };
    expect(await fetchPage(site.url("/to-private"), guarded)).toEqual({ problem: "refused: 10.0.0.1 is a private address, which is not fetched from" });
    expect(await fetchPage(site.url("/to-metadata"), guarded)).toEqual({
      problem: "refused: 169.254.169.254 is a cloud metadata address, which is not fetched from",
    });
    expect(await fetchPage(site.url("/to-mapped"), guarded)).toEqual({ problem: "refused: ::ffff:a00:1 is a private address, which is not fetched from" });
    expect(await fetchPage(site.url("/to-loopback"), guarded)).toEqual({ problem: "refused: 127.0.0.2 is a loopback address, which is not fetched from" });
    expect(await fetchPage(site.url("/to-intranet"), guarded)).toEqual({
      problem: "refused: intranet.example resolves to a private address, which is not fetched from",
    });
    expect(resolved).toEqual(["intranet.example"]);
    // Checked where each connection is made: the same name, resolved again for the next hop, is refused the second time.
    expect(await fetchPage(`http://rebind.example:${site.port}/hop`, guarded)).toEqual({
      problem: "refused: rebind.example resolves to a private address, which is not fetched from",
    });
    expect(resolved).toEqual(["intranet.example", "rebind.example", "rebind.example"]);
    expect(site.requests.slice(-1)).toEqual(["/hop"]);
    // Without a guard (the owner's CLI), the same redirect is followed.
    expect(
      await fetchPage(`http://rebind.example:${site.port}/hop`, {
        ...limits,
        guard: { refuse: () => undefined, resolve: async () => [{ address: "127.0.0.1", family: 4 }] },
      }),
    ).toMatchObject({ kind: "html" });
  });

  it("judges IPv4 carried in IPv6 as the IPv4 address, and public addresses as fetchable", () => {
    expect(addressProblem("::ffff:169.254.169.254")).toBe("a cloud metadata address");
    expect(addressProblem("64:ff9b::a00:1")).toBe("a private address");
    expect(addressProblem("2002:7f00:1::")).toBe("a loopback address");
    expect(addressProblem("::127.0.0.1")).toBe("a loopback address");
    expect(addressProblem("100.100.100.200")).toBe("a cloud metadata address");
    expect(addressProblem("172.31.255.255")).toBe("a private address");
    expect(addressProblem("ff02::1")).toBe("a multicast address");
    for (const ip of ["93.184.215.14", "172.32.0.1", "2606:4700::6810:84e5", "::ffff:93.184.215.14", "8.8.8.8"]) expect(addressProblem(ip), ip).toBeUndefined();
  });

  it("cannot connect to a closed port, and says so", async () => {
    const { closedPort } = await import("../helpers/net.js");
    const port = await closedPort();
    expect(await fetchPage(`http://127.0.0.1:${port}/`, limits)).toEqual({ problem: "could not connect (ECONNREFUSED)" });
  });
});
