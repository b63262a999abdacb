import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import iconv from "iconv-lite";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCorpus, parseArticleFile } from "../../src/corpus/load.js";
import { REPO, scratch } from "../helpers/core.js";

const good = (id: string, extra = "") =>
  `---\nid: ${id}\ntitle: A title\npublisher: Example News\nurl: https://example.com/${id}\npublished: 2025-11-29\n${extra}---\nFirst paragraph.\n\nSecond paragraph.\n`;

describe("loading the corpus", () => {
  let dir: ReturnType<typeof scratch>;
  afterEach(() => dir.cleanup());

  it("loads the real articles with their front matter", async () => {
    dir = scratch();
    const { articles, problems } = await loadCorpus(dir.corpusDir);
    expect(problems).toEqual([]);
    const talks = articles.find((a) => a.id === "kars-gyumri-railway-talks")!;
    expect(talks.publisher).toBe("Türkiye Today");
    expect(talks.published).toBe("2025-11-29T11:18:00+03:00");
    const untitled = articles.find((a) => a.id === "pashinyan-putin-railways")!;
    // The text gives no headline, outlet, link or date: the title is its first sentence, marked as
    // derived; the rest stay empty rather than invented.
    expect(untitled.title).toMatch(/^Armenian Prime Minister Nikol Pashinyan met with Russian President Vladimir Putin on Monday during…$/);
    expect(untitled.titleDerived).toBe(true);
    expect(talks.titleDerived).toBeUndefined();
    expect([untitled.publisher, untitled.url, untitled.published]).toEqual(["", "", ""]);
  });

  it("reports each malformed file by name and still loads the others", async () => {
    dir = scratch({ corpus: false });
    mkdirSync(dir.corpusDir, { recursive: true });
    const files: Record<string, string> = {
      "ok.md": good("ok"),
      "bad-yaml.md": "---\nid: [unclosed\n---\nBody.\n",
      "no-id.md": "---\ntitle: No id\n---\nBody.\n",
      "bad-date.md": good("bad-date").replace("published: 2025-11-29", "published: last Tuesday"),
      "bad-url.md": good("bad-url").replace(/url: .*/, "url: not a link"),
      "unknown-field.md": good("unknown-field", "colour: blue\n"),
      "empty.md": "---\nid: empty\n---\n\n   \n",
      "no-front-matter.md": "Just text.\n",
      "zz-dup.md": good("ok"),
      "plain.txt": "A plain title\nThe body of a plain text article.\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir.corpusDir, name), text);
    const { articles, problems } = await loadCorpus(dir.corpusDir);
    expect(articles.map((a) => a.id).sort()).toEqual(["ok", "plain"]);
    const byFile = Object.fromEntries(problems.map((p) => [p.file, p.problem]));
    expect(Object.keys(byFile).sort()).toEqual([
      "bad-date.md",
      "bad-url.md",
      "bad-yaml.md",
      "empty.md",
      "no-front-matter.md",
      "no-id.md",
      "unknown-field.md",
      "zz-dup.md",
    ]);
    expect(byFile["bad-date.md"]).toMatch(/published must be an ISO date/);
    expect(byFile["bad-url.md"]).toMatch(/url must be an absolute URL/);
    expect(byFile["bad-yaml.md"]).toMatch(/^bad front matter/);
    expect(byFile["no-id.md"]).toMatch(/id/);
    expect(byFile["unknown-field.md"]).toMatch(/unknown field\(s\) colour/);
    expect(byFile["empty.md"]).toBe("empty body");
    expect(byFile["no-front-matter.md"]).toMatch(/missing front matter/);
    expect(byFile["zz-dup.md"]).toBe(`duplicate id "ok" (already used by ok.md)`);
  });

  it("takes a .txt file's first line as its title", () => {
    const a = parseArticleFile("note.txt", "Headline here\n\nBody line one.\n");
    expect(a).toMatchObject({ id: "note", title: "Headline here", body: "Body line one." });
  });

  it("reads a .txt file's header lines as metadata, never as its title or body", () => {
    const a = parseArticleFile(
      "ferry.txt",
      "url: https://h.example/ferry\nTitle: Ferry adds dawn crossing\npublisher: The Harbour Ledger\npublished: 15 March 2025\n\nThe ferry will run earlier.\n",
    );
    expect(a).toMatchObject({
      id: "ferry",
      title: "Ferry adds dawn crossing",
      publisher: "The Harbour Ledger",
      url: "https://h.example/ferry",
      published: "2025-03-15",
      body: "The ferry will run earlier.",
    });
    const noTitle = parseArticleFile("n.txt", "publisher: Valley Courier\n\nHeadline line\nThe text.\n");
    expect(noTitle).toMatchObject({ title: "Headline line", publisher: "Valley Courier", body: "The text." });
    expect(parseArticleFile("bad.txt", "published: last Tuesday\n\nHeadline\nText.\n")).toEqual({
      file: "bad.txt",
      problem: 'published "last Tuesday" is not a complete, unambiguous date',
    });
  });

  it("changes an article's hash when its bytes change, and only then", () => {
    const a = parseArticleFile("x.md", good("x"));
    const b = parseArticleFile("x.md", good("x"));
    const c = parseArticleFile("x.md", good("x").replace("Second", "2nd"));
    expect("hash" in a && "hash" in b && "hash" in c).toBe(true);
    if ("hash" in a && "hash" in b && "hash" in c) {
      expect(a.hash).toBe(b.hash);
      expect(a.hash).not.toBe(c.hash);
    }
  });

  it("refuses binary, Latin-1, damaged, empty, oversized and unreadable files with a reason each, and still loads the good ones", async () => {
    dir = scratch({ corpus: false });
    mkdirSync(path.join(dir.corpusDir, "sub"), { recursive: true });
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 37) % 256;
    writeFileSync(path.join(dir.corpusDir, "ok.md"), good("ok"));
    writeFileSync(path.join(dir.corpusDir, "sub", "nested.md"), good("nested"));
    writeFileSync(path.join(dir.corpusDir, "binary.txt"), binary);
    writeFileSync(
      path.join(dir.corpusDir, "latin1.txt"),
      iconv.encode("Caf\u00e9 talks\nThe talks at the caf\u00e9 resumed, n\u00e9gociateurs said on Monday after a long pause.\n", "latin1"),
    );
    writeFileSync(path.join(dir.corpusDir, "damaged.txt"), "Damaged\nThe caf\uFFFD was closed.\n");
    writeFileSync(path.join(dir.corpusDir, "empty.txt"), "");
    writeFileSync(path.join(dir.corpusDir, "huge.txt"), `Huge\n${"x ".repeat(17 * 1024 * 1024)}`);
    symlinkSync(path.join(dir.corpusDir, "gone.md"), path.join(dir.corpusDir, "broken.md"));
    symlinkSync(path.join(dir.root, "no-such-folder"), path.join(dir.corpusDir, "linked-folder"));
    const { articles, problems } = await loadCorpus(dir.corpusDir);
    expect(articles.map((a) => a.id).sort()).toEqual(["nested", "ok"]);
    const byFile = Object.fromEntries(problems.map((p) => [p.file, p.problem]));
    expect(byFile).toEqual({
      "binary.txt": "binary data, not text",
      "latin1.txt": "not UTF-8 (it looks like ISO-8859-1); re-save it as UTF-8, or add it with npm run import, which converts it",
      "damaged.txt": expect.stringMatching(/^holds 1 replacement character\(s\) \(U\+FFFD\)/),
      "empty.txt": "empty file",
      "huge.txt": "too large (34.0 MB; the limit is 32.0 MB)",
      "broken.md": "unreadable: it does not exist (a broken link?)",
    });
    expect(articles.every((a) => !a.body.includes("\uFFFD"))).toBe(true);
  });

  it("stores bodies in NFC, so offsets into the stored text still slice out each quote", () => {
    const decomposed = "Cafe\u0301 owners in Gyumri\n\nThe cafe\u0301 owners said the \u00ABrailway\u00BB would bring visitors.\n";
    const a = parseArticleFile("cafe.txt", decomposed);
    expect("body" in a).toBe(true);
    if (!("body" in a)) return;
    expect(a.title).toBe("Caf\u00e9 owners in Gyumri");
    expect(a.body).toBe(a.body.normalize("NFC"));
    const quote = "caf\u00e9 owners said";
    const start = a.body.indexOf(quote);
    expect(start).toBeGreaterThan(0);
    expect(a.body.slice(start, start + quote.length)).toBe(quote);
  });

  it("reports an unreadable file and folder and loads the rest (run as a user the permissions bind)", async () => {
    dir = scratch({ corpus: false });
    mkdirSync(path.join(dir.corpusDir, "locked"), { recursive: true });
    writeFileSync(path.join(dir.corpusDir, "ok.md"), good("ok"));
    writeFileSync(path.join(dir.corpusDir, "secret.md"), good("secret"));
    writeFileSync(path.join(dir.corpusDir, "locked", "inner.md"), good("inner"));
    chmodSync(path.join(dir.corpusDir, "secret.md"), 0o000);
    chmodSync(path.join(dir.corpusDir, "locked"), 0o000);
    chmodSync(dir.root, 0o755);
    const loader = pathToFileURL(path.join(REPO, "src", "corpus", "load.ts")).href;
    const scanner = pathToFileURL(path.join(REPO, "src", "corpus", "scan.ts")).href;
    const script = `const { loadCorpus } = await import(${JSON.stringify(loader)}); const { scanCorpus } = await import(${JSON.stringify(scanner)}); const c = await loadCorpus(${JSON.stringify(dir.corpusDir)}); const s = scanCorpus(${JSON.stringify(dir.corpusDir)}); console.log(JSON.stringify({ ids: c.articles.map((a) => a.id), problems: c.problems, listed: [...s.files.map((f) => f.file), ...s.problems.map((p) => p.file)].sort() }));`;
    const tsx = pathToFileURL(path.join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", tsx, "--input-type=module", "-e", script], {
      cwd: REPO,
      uid: 65534,
      gid: 65534,
    });
    const out = JSON.parse(stdout) as { ids: string[]; problems: Array<{ file: string; problem: string }>; listed: string[] };
    expect(out.ids).toEqual(["ok"]);
    expect(out.problems).toEqual([
      { file: "locked/", problem: "unreadable folder: permission denied" },
      { file: "secret.md", problem: "unreadable: permission denied" },
    ]);
    // The build's scan (and its stale check) counts the same entries, so an unreadable folder does not force a rebuild on every start.
    expect(out.listed).toEqual(["locked/", "ok.md", "secret.md"]);
  });
});
