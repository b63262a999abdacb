import { appendFileSync, closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DB_FILE } from "../../src/index/database.js";
import { currentBuildDir } from "../../src/index/store.js";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, scratch, testConfig } from "../helpers/core.js";
import { mountTmpfs, type Mount } from "../helpers/mount.js";

const BORDER = "When could the Armenia–Turkey border reopen?";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Overwrite a table's root page of a build's database with garbage; the file's header stays intact. */
function damageTable(buildDir: string, table: string): void {
  const file = path.join(buildDir, DB_FILE);
  const db = new Database(file, { readonly: true });
  const page = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?").pluck().get(table) as number;
  const size = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (page - 1) * size);
  closeSync(fd);
}

describe("the answer service on a damaged index", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService | undefined;
  let mount: Mount | undefined;

  beforeEach(() => {
    dir = scratch();
  });
  afterEach(async () => {
    await core?.close();
    core = undefined;
    mount?.unmount();
    mount = undefined;
    dir.cleanup();
  });

  const config = (dataDir = dir.dataDir) => testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dataDir });

  it("rebuilds from the corpus on opening when a page of the database is damaged, and says why", async () => {
    await (await openAnswerService(config(), memoryLogger())).close();
    damageTable((await currentBuildDir(dir.dataDir))!, "passages");
    const { log, lines } = memoryLogger();
    core = await openAnswerService(config(), { log });
    expect(lines().some((l) => String(l["msg"]).startsWith("index: index.sqlite is damaged: ") && String(l["msg"]).endsWith("; rebuilding"))).toBe(true);
    expect(core.lastBuild()?.embedded).toBe(32);
    const answer = await core.ask(BORDER);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.quote).toContain("within the next six months");
  });

  it("answers from the previous build and rebuilds from scratch when SQLite finds damage while serving", async () => {
    const { log, lines } = memoryLogger();
    core = await openAnswerService(config(), { log });
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nA new closing paragraph about freight wagons.\n");
    const incremental = await core.reindex();
    expect(incremental.embedded).toBe(17);
    const damagedBuild = (await currentBuildDir(dir.dataDir))!;
    damageTable(damagedBuild, "bodies");

    const answer = await core.ask(BORDER);
    expect(answer.answered).toBe(true);
    expect(answer.citations[0]?.quote).toContain("within the next six months");
    expect(lines().some((l) => l["msg"] === "index: the build being served is damaged; rebuilding it from the corpus")).toBe(true);
    // The repair runs by itself: a build from scratch, every passage embedded again, switched in.
    expect(core.reindexing).toBe(true);
    for (let i = 0; i < 300 && core.reindexing; i++) await sleep(100);
    expect(core.lastBuild()?.embedded).toBe(33);
    expect(await currentBuildDir(dir.dataDir)).not.toBe(damagedBuild);
    expect(core.getPassage("kars-gyumri-railway-talks#p17")?.passage.text).toContain("freight wagons");
  });

  it("rebuilds from scratch when /reindex asks for a full rebuild, even with nothing changed", async () => {
    core = await openAnswerService(config(), memoryLogger());
    expect((await core.reindex()).embedded).toBe(0);
    const full = await core.reindex(undefined, { full: true });
    expect(full.embedded).toBe(32);
    expect((await core.ask(BORDER)).answered).toBe(true);
  });

  it("serves a read-only index as it is, says so, and refuses to rebuild it", async (t) => {
    mount = mountTmpfs(path.join(dir.root, "disk"), "8m");
    if (!mount) return t.skip();
    await (await openAnswerService(config(mount.dir), memoryLogger())).close();
    mount.readOnly();
    // A changed corpus would otherwise mean a rebuild on opening.
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nA new closing paragraph about freight wagons.\n");
    const { log, lines } = memoryLogger();
    core = await openAnswerService(config(mount.dir), { log });
    expect(lines().find((l) => l["level"] === 40)?.["msg"]).toBe(
      `index: ${path.join(mount.dir, "index")} is read-only: serving the build there as it is, without checking the corpus for changes; rebuilds are off until it is writable`,
    );
    expect((await core.ask(BORDER)).answered).toBe(true);
    await expect(core.reindex()).rejects.toThrow(`index: ${path.join(mount.dir, "index")} is read-only; the current build keeps serving`);
  });
});
