import { execFile } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import { afterEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { REPO, scratch } from "../helpers/core.js";
import { mislabelledPage, nestedPage } from "../helpers/hostile-pages.js";
import { PagesServer } from "../helpers/pages-server.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const run = promisify(execFile);
const FIXTURES = path.join(REPO, "test", "fixtures", "import");
/** The importer runs in the scratch folder, so tsx is named by path rather than resolved from there. */
const TSX = pathToFileURL(path.join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;

interface Fixture {
  slug: string;
  title: string;
  publisher: string;
  url: string;
  published: string;
  dateText: string;
  author: string;
  caption: string;
  paragraphs: string[];
}
const fixtures = JSON.parse(readFileSync(path.join(FIXTURES, "articles.json"), "utf8")) as Fixture[];

/** Words of site chrome and header lines that the fixtures hold and no article body may. */
const CHROME = [
  "Home\n",
  "Sport",
  "Weather",
  "Advertisement",
  "Share",
  "Font size",
  "A A A",
  "More From",
  "cookies",
  "Accept all",
  "Subscribe",
  "Text size",
  "Related stories",
  "cycle lanes",
  "All rights reserved",
  "Privacy",
  "garden furniture",
  "Email",
  "Print",
];
const HEADER = /^(?:url|title|headline|publisher|published|date|site|link|source url|published on|by)\s*[:=-]/im;

describe("npm run import", () => {
  let dir: ReturnType<typeof scratch>;
  afterEach(() => dir.cleanup());

  const importCmd = (args: string[], opts: { uid?: number; env?: Record<string, string> } = {}) =>
    run(process.execPath, ["--import", TSX, path.join(REPO, "src/cli/import-cmd.ts"), ...args], {
      cwd: dir.root,
      env: { ...process.env, CORPUS_DIR: dir.corpusDir, IMPORT_MAX_BYTES: "200000", ...opts.env },
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    }).catch((err: { stdout: string; stderr: string; code: number }) => ({ stdout: err.stdout, stderr: err.stderr, code: err.code }));

  for (const form of ["raw text with header lines", "HTML pages"] as const) {
    it(`imports the 12 developer-written articles saved as ${form} in one command, with every title, publisher, URL and date in the front matter and no header or chrome in any body`, async () => {
      dir = scratch({ corpus: false });
      cpSync(FIXTURES, path.join(dir.root, "in"), { recursive: true });
      // A folder for the text files, a glob for the HTML pages: both in one command each.
      const args = form === "HTML pages" ? ["in/html/*.html"] : ["in/raw"];
      const { stdout, stderr } = await importCmd(args);
      expect(stdout).toMatch(/^Imported 12, skipped 0, failed 0\./);
      expect(stderr.match(/^\[\d+\/12\] /gm)).toHaveLength(12);
      const { articles, problems } = await loadCorpus(dir.corpusDir);
      expect(problems).toEqual([]);
      expect(articles).toHaveLength(12);
      for (const f of fixtures) {
        const a = articles.find((x) => x.title === f.title);
        expect(a, f.title).toBeDefined();
        expect([a!.publisher, a!.url, a!.published.slice(0, 10)]).toEqual([f.publisher, f.url, f.published.slice(0, 10)]);
        expect(stdout).toContain(`imported ${a!.id}: "${f.title}" — ${f.publisher}, ${a!.published}, `);
        for (const p of f.paragraphs) expect(a!.body).toContain(p);
        expect(a!.body).toContain(f.caption);
        expect(a!.body).not.toContain(f.title);
        expect(a!.body).not.toContain(f.url);
        expect(a!.body).not.toContain(f.dateText);
        expect(a!.body).not.toMatch(HEADER);
        for (const chrome of CHROME) expect(a!.body, `${f.slug}: ${chrome}`).not.toContain(chrome);
      }
      // Authors come from the header, the byline, JSON-LD or the author meta tag.
      const authored = articles.filter((a) => a.author);
      expect(authored.length).toBeGreaterThanOrEqual(form === "HTML pages" ? 12 : 8);
      if (form !== "HTML pages") return;
      // Then ask --json: the citation links to the quote on the publisher's page and carries Web Annotation selectors.
      const { stdout: json } = await run(
        process.execPath,
        ["--import", TSX, path.join(REPO, "src/cli/ask.ts"), "--json", "How many books an hour does the library robot sort?"],
        {
          cwd: REPO,
          env: { ...process.env, CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir, CACHE_DIR: TEST_CACHE_DIR, CI: "true" },
        },
      );
      const answer = JSON.parse(json) as {
        citations: Array<{ quote: string; start: number; end: number; url: string; link?: string; selectors?: Array<Record<string, unknown>> }>;
      };
      const c = answer.citations.find((x) => x.quote.includes("400 books an hour"))!;
      expect(c.link).toBe("https://valleycourier.example/local/library-robot-schools#:~:text=Okafor%20said%20it,books%20an%20hour.");
      expect(c.selectors).toEqual([
        { type: "TextQuoteSelector", exact: c.quote, prefix: expect.any(String), suffix: expect.any(String) },
        { type: "TextPositionSelector", start: c.start, end: c.end },
      ]);
    });
  }

  it("imports the 12 HTML pages from their URLs in one command", async () => {
    dir = scratch({ corpus: false });
    const site = new PagesServer();
    for (const f of fixtures) site.route(`/${f.slug}`, { body: readFileSync(path.join(FIXTURES, "html", `${f.slug}.html`)) });
    await site.start();
    try {
      const { stdout } = await importCmd(fixtures.map((f) => site.url(`/${f.slug}`)));
      expect(stdout).toMatch(/^Imported 12, skipped 0, failed 0\./);
    } finally {
      await site.stop();
    }
    const { articles } = await loadCorpus(dir.corpusDir);
    // The canonical URL the page names, not the address it was fetched from.
    expect(articles.map((a) => a.url).sort()).toEqual(fixtures.map((f) => f.url).sort());
    expect(articles.every((a) => a.title && a.publisher && a.published)).toBe(true);
  });

  it("goes on past an 8,000- and a 200,000-deep page and a UTF-8 page labelled UTF-16, importing the others and naming each failure", async () => {
    dir = scratch({ corpus: false });
    const site = new PagesServer();
    const good = fixtures.slice(0, 2);
    for (const f of good) site.route(`/${f.slug}`, { body: readFileSync(path.join(FIXTURES, "html", `${f.slug}.html`)) });
    site
      .route("/deep-8k", { body: nestedPage(8000) })
      .route("/deep-200k", { body: nestedPage(200_000) })
      .route("/mislabelled", { type: "text/html; charset=utf-16le", body: mislabelledPage() });
    await site.start();
    try {
      const urls = [site.url(`/${good[0]!.slug}`), site.url("/deep-8k"), site.url("/mislabelled"), site.url("/deep-200k"), site.url(`/${good[1]!.slug}`)];
      const out = await importCmd(urls, { env: { IMPORT_MAX_BYTES: "5242880" } });
      const { stdout, stderr } = out;
      expect(stdout).toMatch(/^Imported 3, skipped 0, failed 2\./);
      expect(stdout).toMatch(
        /failed http:\/\/127\.0\.0\.1:\d+\/deep-8k: the page nests elements more than 256 deep, more than a news article needs; it is not parsed/,
      );
      expect(stdout).toMatch(/failed http:\/\/127\.0\.0\.1:\d+\/deep-200k: the page nests elements more than 256 deep/);
      expect(stderr).toMatch(/\[3\/5\] http:\/\/127\.0\.0\.1:\d+\/mislabelled: read \(declared utf-16le, which does not decode it; read as UTF-8\)/);
      expect("code" in out ? out.code : 0).toBe(0);
    } finally {
      await site.stop();
    }
    const { articles } = await loadCorpus(dir.corpusDir);
    expect(articles.map((a) => a.title).sort()).toEqual([...good.map((f) => f.title), "Café reopens on the quay"].sort());
    expect(articles.find((a) => a.title === "Café reopens on the quay")!.body).toContain("the first customers paid €2 for a coffee");
  });

  it("never overwrites an existing id without --force, and --publisher, --published and --url apply to every item", async () => {
    dir = scratch({ corpus: false });
    const a = path.join(dir.root, "a.txt");
    const b = path.join(dir.root, "b.txt");
    writeFileSync(a, "A headline about the river\n\nThe river rose by two metres overnight, the council said.\n");
    writeFileSync(b, "A headline about the hills\n\nSnow closed the hill road for a day, the police said.\n");
    const first = await importCmd([a, b, "--publisher", "Hill Post", "--published", "28 November, 2025", "--url", "https://hillpost.example/x"]);
    expect(first.stdout).toMatch(/^Imported 2, skipped 0, failed 0\./);
    const { articles } = await loadCorpus(dir.corpusDir);
    for (const art of articles) expect([art.publisher, art.published, art.url]).toEqual(["Hill Post", "2025-11-28", "https://hillpost.example/x"]);
    writeFileSync(a, "A headline about the river\n\nA changed text.\n");
    const again = await importCmd([a]);
    expect(again.stdout).toMatch(
      /^Imported 0, skipped 1, failed 0\.\n {2}skipped .*a\.txt: id "a-headline-about-the-river" exists \(a-headline-about-the-river\.md\); use --force to replace it/,
    );
    expect(readFileSync(path.join(dir.corpusDir, "a-headline-about-the-river.md"), "utf8")).toContain("two metres");
    const forced = await importCmd([a, "--force"]);
    expect(forced.stdout).toMatch(/imported a-headline-about-the-river \(replaced\)/);
    expect(readFileSync(path.join(dir.corpusDir, "a-headline-about-the-river.md"), "utf8")).toContain("A changed text.");
    const badDate = await importCmd([b, "--published", "03/04/2025", "--force"]);
    expect(badDate.stdout).toContain('--published "03/04/2025" is not a complete, unambiguous date');
  });

  it("refuses binary, unconvertible, empty, oversized and unreadable inputs with a clear message each, converts Latin-1, and still imports the good files", async () => {
    dir = scratch({ corpus: false });
    const inDir = path.join(dir.root, "in");
    mkdirSync(path.join(inDir, "locked"), { recursive: true });
    writeFileSync(
      path.join(inDir, "good.txt"),
      "title: Good news from the valley\npublisher: Valley Courier\n\nThe valley school opened a new library on Monday, the head teacher said.\n",
    );
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 37) % 256;
    writeFileSync(path.join(inDir, "binary.txt"), binary);
    writeFileSync(
      path.join(inDir, "latin1.txt"),
      iconv.encode(
        "Título: Café talks resume\n\nThe Türkiye-Armenia border talks at the café resumed on Monday, négociateurs said, and the façade of the old station will be restored.\n".replace(
          "Título: ",
          "title: ",
        ),
        "latin1",
      ),
    );
    writeFileSync(path.join(inDir, "empty.txt"), "");
    writeFileSync(path.join(inDir, "big.txt"), `A very long one\n\n${"Words and more words. ".repeat(12000)}\n`);
    writeFileSync(path.join(inDir, "damaged.txt"), "Damaged text\n\nThe caf\uFFFD was closed.\n");
    writeFileSync(path.join(inDir, "secret.txt"), "Secret\n\nNobody may read this file.\n");
    writeFileSync(path.join(inDir, "locked", "inside.txt"), "Inside\n\nA file in a locked folder.\n");
    symlinkSync(path.join(inDir, "nowhere.txt"), path.join(inDir, "broken.txt"));
    // Permissions only bind a user who is not root: run the importer as nobody.
    chmodSync(path.join(inDir, "secret.txt"), 0o000);
    chmodSync(path.join(inDir, "locked"), 0o000);
    chmodSync(dir.root, 0o777);
    chmodSync(inDir, 0o777);
    mkdirSync(dir.corpusDir, { mode: 0o777 });
    chmodSync(dir.corpusDir, 0o777);
    const { stdout } = await importCmd(["in", "in/missing.txt"], { uid: 65534 });
    const lines = stdout.split("\n");
    const line = (name: string) => lines.find((l) => l.includes(name)) ?? `(no line for ${name})`;
    expect(stdout).toMatch(/^Imported 2, skipped 0, failed 8\./);
    expect(line("binary.txt")).toMatch(/failed in\/binary\.txt: binary data, not text/);
    expect(line("empty.txt")).toMatch(/failed in\/empty\.txt: empty file/);
    expect(line("big.txt")).toMatch(/failed in\/big\.txt: too large \(0\.3 MB; the limit is 0\.2 MB\)/);
    expect(line("damaged.txt")).toMatch(/failed in\/damaged\.txt: holds 1 replacement character\(s\) \(U\+FFFD\)/);
    expect(line("secret.txt")).toMatch(/failed in\/secret\.txt: permission denied/);
    expect(line("locked")).toMatch(/failed in\/locked\/: folder skipped: permission denied/);
    expect(line("broken.txt")).toMatch(/failed in\/broken\.txt: no such file or folder/);
    expect(line("missing.txt")).toMatch(/failed in\/missing\.txt: no such file or folder/);
    const { articles } = await loadCorpus(dir.corpusDir);
    expect(articles.map((a) => a.title).sort()).toEqual(["Café talks resume", "Good news from the valley"]);
    const cafe = articles.find((a) => a.title === "Café talks resume")!;
    expect(cafe.body).toContain("The Türkiye-Armenia border talks at the café resumed on Monday, négociateurs said");
    expect(cafe.body).not.toContain("\uFFFD");
  });
});
