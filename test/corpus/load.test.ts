import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCorpus, parseArticleFile } from "../../src/corpus/load.js";
import { scratch } from "../helpers/core.js";

const good = (id: string, extra = "") => `---\nid: ${id}\ntitle: A title\npublisher: Example News\nurl: https://example.com/${id}\npublished: 2025-11-29\n${extra}---\nFirst paragraph.\n\nSecond paragraph.\n`;

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
    // The text gives no headline, outlet, link or date: those stay empty rather than invented.
    expect([untitled.title, untitled.publisher, untitled.url, untitled.published]).toEqual(["", "", "", ""]);
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
    expect(Object.keys(byFile).sort()).toEqual(["bad-date.md", "bad-url.md", "bad-yaml.md", "empty.md", "no-front-matter.md", "no-id.md", "unknown-field.md", "zz-dup.md"]);
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
});
