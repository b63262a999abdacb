import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync, closeSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder, type PassageEmbedder } from "../../src/embeddings/provider.js";
import { buildIndex, writeBuild } from "../../src/index/build.js";
import { DB_FILE } from "../../src/index/database.js";
import { GRAPH_FILES } from "../../src/index/hnsw-store.js";
import { buildsDir, loadIndex } from "../../src/index/store.js";
import { REPO, scratch, testConfig } from "../helpers/core.js";
import { mountTmpfs, type Mount } from "../helpers/mount.js";

/** Overwrite `bytes` of a file at `offset` with garbage, leaving its size and (to the nanosecond) its mtime as they were. */
function damage(file: string, offset: number, bytes: number): void {
  const reference = `${file}.reference`;
  copyFileSync(file, reference);
  execFileSync("touch", ["-r", file, reference]);
  const fd = openSync(file, "r+");
  writeSync(fd, Buffer.alloc(bytes, 0xa5), 0, bytes, offset);
  closeSync(fd);
  execFileSync("touch", ["-r", reference, file]);
}

/** The first byte of a table's root page. */
function rootPageOffset(dbFile: string, table: string): number {
  const db = new Database(dbFile, { readonly: true });
  const page = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = ?").pluck().get(table) as number;
  const size = db.pragma("page_size", { simple: true }) as number;
  db.close();
  return (page - 1) * size;
}

describe("a damaged index", () => {
  let dir: ReturnType<typeof scratch>;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dir = scratch();
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => dir.cleanup());

  it("is refused on opening when a page of its database is damaged behind an intact header", async () => {
    const { index } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    index.close();
    const file = path.join(index.dir, DB_FILE);
    damage(file, rootPageOffset(file, "passages"), 4096);
    expect(readFileSync(file).subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
    const loaded = await loadIndex(dir.dataDir, embedder);
    expect(loaded).toMatchObject({ reason: "corrupt" });
    expect("detail" in loaded && loaded.detail).toMatch(/^index\.sqlite is damaged: /);
  });

  it("is refused, without crashing the process, when its graph file is damaged but keeps its size and mtime", async () => {
    const { index } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    index.close();
    const graph = path.join(index.dir, GRAPH_FILES.main);
    const before = statSync(graph);
    // The link lists after the header: what hnswlib follows without bounds checks.
    damage(graph, Math.floor(before.size / 3), Math.floor(before.size / 3));
    const after = statSync(graph);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    // Opened in a process of its own: a segmentation fault must show as a failed test, not end the runner.
    const script = `
      import { createEmbedder } from ${JSON.stringify(path.join(REPO, "src/embeddings/provider.ts"))};
      import { loadConfig } from ${JSON.stringify(path.join(REPO, "src/config.ts"))};
      import { loadIndex } from ${JSON.stringify(path.join(REPO, "src/index/store.ts"))};
      const embedder = await createEmbedder(loadConfig({ CACHE_DIR: ${JSON.stringify(testConfig({}).cacheDir)} }));
      const loaded = await loadIndex(${JSON.stringify(dir.dataDir)}, embedder);
      process.stdout.write(JSON.stringify("reason" in loaded ? loaded : { opened: loaded.manifest.passages }));
      process.exit(0);`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: REPO, encoding: "utf8", timeout: 60_000 });
    expect({ signal: child.signal, status: child.status }).toEqual({ signal: null, status: 0 });
    expect(JSON.parse(child.stdout)).toEqual({ reason: "corrupt", detail: "hnsw/main.hnsw does not match its checksum" });
  });
});

describe("the index database's size", () => {
  let dir: ReturnType<typeof scratch>;
  afterEach(() => dir.cleanup());

  it("shrinks again once a large article is removed", async () => {
    dir = scratch();
    const embedder = await createEmbedder(testConfig({}));
    const big = path.join(dir.corpusDir, "big-archive.md");
    const source = readFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "utf8").split(/^---$/m)[2]!;
    const paragraphs = source
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p.length > 80 && !p.startsWith("#"));
    const body = Array.from({ length: 3000 }, (_, i) => `In dispatch ${i + 1}, ${paragraphs[i % paragraphs.length]!}`).join("\n\n");
    writeFileSync(big, `---\nid: big-archive\ntitle: 'A large archive article'\npublisher: Test Wire\n---\n${body}\n`);
    const first = await writeBuild({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const withBig = statSync(path.join(first.dir, DB_FILE)).size;
    execFileSync("rm", [big]);
    const second = await writeBuild({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous: { dir: first.dir } });
    expect(second.summary.removed).toEqual(["big-archive"]);
    const without = statSync(path.join(second.dir, DB_FILE)).size;
    expect(without).toBeLessThan(withBig / 4);
    const loaded = await loadIndex(dir.dataDir, embedder);
    if ("reason" in loaded) throw new Error(loaded.detail);
    expect(loaded.lexical.search("Bloomberg six months", { limit: 1 })[0]?.id).toBe("pashinyan-putin-railways#p13");
    loaded.close();
  });
});

describe("an index on a disk of its own", () => {
  let dir: ReturnType<typeof scratch>;
  let mount: Mount | undefined;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dir = scratch();
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => {
    mount?.unmount();
    mount = undefined;
    dir.cleanup();
  });

  it("removes a build that failed on a full disk at once, and keeps the current one", async (t) => {
    mount = mountTmpfs(path.join(dir.root, "disk"), "1m");
    if (!mount) return t.skip();
    const dataDir = mount.dir;
    const first = await writeBuild({ corpusDir: dir.corpusDir, dataDir, embedder });
    // Enough new articles that the next build cannot fit next to the first.
    const source = readFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "utf8");
    for (let i = 0; i < 120; i++) writeFileSync(path.join(dir.corpusDir, `copy-${i}.md`), source.replace("id: kars-gyumri-railway-talks", `id: copy-${i}`));
    await expect(writeBuild({ corpusDir: dir.corpusDir, dataDir, embedder, previous: { dir: first.dir } })).rejects.toThrow(/ENOSPC|SQLITE_FULL|full/i);
    expect(readdirSync(buildsDir(dataDir))).toEqual([path.basename(first.dir)]);
    const loaded = await loadIndex(dataDir, embedder);
    if ("reason" in loaded) throw new Error(loaded.detail);
    expect(loaded.manifest.passages).toBe(32);
    loaded.close();
  });

  it("opens a build on a read-only disk as it is, without -wal or -shm files", async (t) => {
    mount = mountTmpfs(path.join(dir.root, "disk"), "8m");
    if (!mount) return t.skip();
    const built = await writeBuild({ corpusDir: dir.corpusDir, dataDir: mount.dir, embedder });
    mount.readOnly();
    expect(() => mkdirSync(path.join(mount!.dir, "probe"))).toThrow(/EROFS/);
    const loaded = await loadIndex(mount.dir, embedder);
    if ("reason" in loaded) throw new Error(`${loaded.reason}: ${loaded.detail}`);
    expect(loaded.lexical.search("Bloomberg six months", { limit: 1 })[0]?.id).toBe("pashinyan-putin-railways#p13");
    expect(loaded.article("kars-gyumri-railway-talks")?.title).toBeTruthy();
    loaded.close();
    expect(readdirSync(built.dir).filter((f) => f.endsWith("-wal") || f.endsWith("-shm"))).toEqual([]);
    expect(existsSync(path.join(built.dir, DB_FILE))).toBe(true);
  });
});
