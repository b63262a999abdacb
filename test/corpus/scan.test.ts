import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { scanCorpus } from "../../src/corpus/scan.js";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";

const article = (id: string, body: string) =>
  `---\nid: ${id}\ntitle: ${id}\npublisher: Example News\nurl: https://example.com/${id}\npublished: 2025-11-29\n---\n${body}\n`;

describe("walking the corpus folder", () => {
  let dir: ReturnType<typeof scratch>;
  afterEach(() => dir.cleanup());

  it("skips and reports a link that leads out of the corpus, and never reads the folder beside it", async () => {
    dir = scratch({ corpus: false });
    mkdirSync(path.join(dir.corpusDir, "sub"), { recursive: true });
    mkdirSync(path.join(dir.root, "private"));
    writeFileSync(path.join(dir.corpusDir, "inside.md"), article("inside", "A paragraph inside the corpus."));
    writeFileSync(path.join(dir.root, "private", "secret.md"), article("secret", "A paragraph that is not ours."));
    writeFileSync(path.join(dir.root, "loose.md"), article("loose", "A file beside the corpus."));
    symlinkSync("..", path.join(dir.corpusDir, "up"));
    symlinkSync(path.join(dir.root, "private"), path.join(dir.corpusDir, "sub", "elsewhere"));
    symlinkSync(path.join(dir.root, "loose.md"), path.join(dir.corpusDir, "linked.md"));
    const { files, problems } = scanCorpus(dir.corpusDir);
    expect(files.map((f) => f.file)).toEqual(["inside.md"]);
    expect(problems).toEqual([
      { file: "linked.md", problem: "a link that leads outside the corpus folder: skipped" },
      { file: path.join("sub", "elsewhere"), problem: "a link that leads outside the corpus folder: skipped" },
      { file: "up", problem: "a link that leads outside the corpus folder: skipped" },
    ]);
    expect((await loadCorpus(dir.corpusDir)).articles.map((a) => a.id)).toEqual(["inside"]);
  });

  it("reads every file once when a link loops back into the corpus, and reports the loop once", () => {
    dir = scratch({ corpus: false });
    mkdirSync(path.join(dir.corpusDir, "sub", "deeper"), { recursive: true });
    writeFileSync(path.join(dir.corpusDir, "a.md"), article("a", "First."));
    writeFileSync(path.join(dir.corpusDir, "sub", "b.md"), article("b", "Second."));
    writeFileSync(path.join(dir.corpusDir, "sub", "deeper", "c.md"), article("c", "Third."));
    symlinkSync(".", path.join(dir.corpusDir, "loop"));
    symlinkSync("../..", path.join(dir.corpusDir, "sub", "deeper", "back"));
    // A link to a folder or file already read is a second name, not a loop, and is not read again either.
    symlinkSync("sub", path.join(dir.corpusDir, "alias"));
    symlinkSync("a.md", path.join(dir.corpusDir, "again.md"));
    const { files, problems } = scanCorpus(dir.corpusDir);
    expect(files.map((f) => f.file)).toEqual(["a.md", path.join("sub", "b.md"), path.join("sub", "deeper", "c.md")]);
    expect(problems).toEqual([
      { file: "again.md", problem: "a second name for a.md, which is already read: skipped" },
      { file: "alias", problem: "a second name for sub, which is already read: skipped" },
      { file: "loop", problem: "a link loop (back to the corpus folder): skipped, so nothing is read twice" },
      { file: path.join("sub", "deeper", "back"), problem: "a link loop (back to the corpus folder): skipped, so nothing is read twice" },
    ]);
  });

  it("follows a link to a folder inside the corpus that is not reached otherwise", () => {
    dir = scratch({ corpus: false });
    mkdirSync(path.join(dir.corpusDir, ".hidden-store", "2025"), { recursive: true });
    mkdirSync(path.join(dir.corpusDir, "views"), { recursive: true });
    writeFileSync(path.join(dir.corpusDir, ".hidden-store", "2025", "x.md"), article("x", "Kept."));
    symlinkSync(path.join(dir.corpusDir, ".hidden-store", "2025"), path.join(dir.corpusDir, "views", "this-year"));
    // Real names win: the file is listed under its own path, the link reported as a second name.
    expect(scanCorpus(dir.corpusDir)).toEqual({
      files: [expect.objectContaining({ file: path.join(".hidden-store", "2025", "x.md") })],
      problems: [{ file: path.join("views", "this-year"), problem: `a second name for ${path.join(".hidden-store", "2025")}, which is already read: skipped` }],
    });
  });

  it("builds and answers with both kinds of link in the corpus, quoting nothing from outside it", async () => {
    dir = scratch();
    mkdirSync(path.join(dir.root, "private"));
    writeFileSync(
      path.join(dir.root, "private", "secret.md"),
      article("secret", "The lighthouse keeper of Varnholm counted 4,812 gulls on the island in June, the keeper said."),
    );
    symlinkSync("..", path.join(dir.corpusDir, "up"));
    symlinkSync(".", path.join(dir.corpusDir, "loop"));
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir });
    const core = await openAnswerService(config, { log: memoryLogger().log });
    try {
      const info = core.info();
      expect(info.articles.map((a) => a.id).sort()).toEqual(["kars-gyumri-railway-talks", "pashinyan-putin-railways"]);
      const answer = await core.ask("How many gulls did the lighthouse keeper of Varnholm count?");
      expect(answer.citations.map((c) => c.articleId)).not.toContain("secret");
      expect(answer.related.map((r) => r.passageId).join(" ")).not.toContain("secret");
    } finally {
      await core.close();
    }
  }, 120_000);
});
