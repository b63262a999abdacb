import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorpusSync, writingToCorpus } from "../../src/service/corpus-sync.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { startPostgres, type TestPostgres } from "../helpers/postgres.js";

const article = (id: string, text: string) => `---\nid: ${id}\ntitle: '${id}'\npublisher: Test Desk\n---\n${text}\n`;
const mdFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort();

describe("the corpus in PostgreSQL, mirrored into each node's folder", () => {
  let server: TestPostgres;
  let url: string;
  const dirs: Array<ReturnType<typeof scratch>> = [];
  const config = (i: number) => testConfig({ DATABASE_URL: url, CORPUS_DIR: dirs[i]!.corpusDir, DATA_DIR: dirs[i]!.dataDir });

  beforeAll(async () => {
    server = await startPostgres();
    url = server.database("corpus_test");
    dirs.push(scratch(), scratch({ corpus: false }));
    mkdirSync(dirs[1]!.corpusDir, { recursive: true });
    // A stray file on the second node: not in the table, so the first exact pull removes it.
    writeFileSync(path.join(dirs[1]!.corpusDir, "stray.md"), article("stray", "Left over from an old checkout."));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    for (const d of dirs) d.cleanup();
  });

  it("imports the first node's folder once, and gives a node with another folder exactly the table's files", async () => {
    const a = await CorpusSync.open(config(0), memoryLogger().log);
    const b = await CorpusSync.open(config(1), memoryLogger().log);
    try {
      expect(await a.importOnce()).toBe(mdFiles(dirs[0]!.corpusDir).length);
      expect(await b.importOnce()).toBe(0);
      expect(await b.pull({ exact: true })).toBe(true);
      expect(mdFiles(dirs[1]!.corpusDir)).toEqual(mdFiles(dirs[0]!.corpusDir));
      expect(await b.pull()).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("sends what an import writes on one node to the table, and another node's pull takes it in, removals included", async () => {
    const b = await CorpusSync.open(config(1), memoryLogger().log);
    try {
      const before = await b.version();
      await writingToCorpus(config(0), memoryLogger().log, async () =>
        writeFileSync(path.join(dirs[0]!.corpusDir, "lighthouse.md"), article("lighthouse", "The lighthouse opens in April.")),
      );
      expect(await b.version()).toBeGreaterThan(before);
      expect(await b.pull()).toBe(true);
      expect(readFileSync(path.join(dirs[1]!.corpusDir, "lighthouse.md"), "utf8")).toContain("The lighthouse opens in April.");
      await writingToCorpus(config(0), memoryLogger().log, async () => rmSync(path.join(dirs[0]!.corpusDir, "lighthouse.md")));
      expect(await b.pull()).toBe(true);
      expect(existsSync(path.join(dirs[1]!.corpusDir, "lighthouse.md"))).toBe(false);
    } finally {
      await b.close();
    }
  });

  it("keeps a file this node wrote but has not sent yet when it pulls another node's change", async () => {
    const b = await CorpusSync.open(config(1), memoryLogger().log);
    try {
      writeFileSync(path.join(dirs[1]!.corpusDir, "not-sent-yet.md"), article("not-sent-yet", "Written a moment ago."));
      await writingToCorpus(config(0), memoryLogger().log, async () =>
        writeFileSync(path.join(dirs[0]!.corpusDir, "ferry.md"), article("ferry", "The ferry leaves at dawn.")),
      );
      expect(await b.pull()).toBe(true);
      expect(existsSync(path.join(dirs[1]!.corpusDir, "ferry.md"))).toBe(true);
      expect(existsSync(path.join(dirs[1]!.corpusDir, "not-sent-yet.md"))).toBe(true);
      expect(await b.push()).toBe(1);
    } finally {
      await b.close();
    }
  });
});
