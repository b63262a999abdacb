import { spawn } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, cpSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder, type PassageEmbedder } from "../../src/embeddings/provider.js";
import { buildIndex } from "../../src/index/build.js";
import { indexRoot, loadIndex, type IndexData } from "../../src/index/store.js";
import { openAnswerService } from "../../src/service/answer-service.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";
import { TEST_CACHE_DIR } from "../global-setup.js";

const BORDER = "When could the Armenia–Turkey border reopen?";

describe("building the index", () => {
  let dir: ReturnType<typeof scratch>;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dir = scratch();
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => dir.cleanup());

  const build = (previous?: IndexData) => buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous });
  const load = async () => {
    const loaded = await loadIndex(dir.dataDir, embedder);
    if ("reason" in loaded) throw new Error(loaded.detail);
    return loaded;
  };

  it("records corpus hashes, the embedder and the build time in a manifest", async () => {
    const { index, summary } = await build();
    expect(summary.added.sort()).toEqual(["kars-gyumri-railway-talks", "pashinyan-putin-railways"]);
    expect(index.manifest.embedder).toEqual({ name: "glove-sg-100d-sif", dimensions: 100 });
    expect(index.manifest.articles["kars-gyumri-railway-talks"]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(index.manifest.builtAt)).not.toBeNaN();
    expect(index.manifest.passages).toBe(32);
  });

  it("re-embeds only the changed article, and drops a deleted one from search", async () => {
    const first = await build();
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nA new closing paragraph about freight wagons.\n");
    const second = await build(first.index);
    expect(second.summary.changed).toEqual(["kars-gyumri-railway-talks"]);
    expect(second.summary.unchanged).toBe(1);
    expect(second.summary.embedded).toBe(17);
    const reloaded = await load();
    expect(reloaded.lexical.search("freight wagons", { limit: 3 })[0]?.id).toBe("kars-gyumri-railway-talks#p17");

    rmSync(path.join(dir.corpusDir, "pashinyan-putin-railways.md"));
    const third = await build(reloaded);
    expect(third.summary.removed).toEqual(["pashinyan-putin-railways"]);
    expect(third.summary.embedded).toBe(0);
    const after = await load();
    expect(after.passageIds().some((id) => id.startsWith("pashinyan"))).toBe(false);
    expect(after.lexical.search("Bloomberg six months", { limit: 5 }).map((h) => h.id)).toEqual([]);
    const vec = await embedder.embeddings.embedQuery(BORDER);
    expect(after.vector.search(vec, 50).every((h) => h.id.startsWith("kars-gyumri"))).toBe(true);
  });

  it("does nothing when the corpus has not changed", async () => {
    const first = await build();
    const again = await build(first.index);
    expect(again.summary.embedded).toBe(0);
    expect(again.index.dir).toBe(first.index.dir);
  });

  it("refuses a corrupt index file and a different embedder", async () => {
    const { index } = await build();
    const graph = path.join(index.dir, "hnsw", "main.hnsw");
    const bytes = readFileSync(graph);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(graph, bytes);
    expect(await loadIndex(dir.dataDir, embedder)).toMatchObject({ reason: "corrupt", detail: "hnsw/main.hnsw does not match its checksum" });
    rmSync(graph);
    expect(await loadIndex(dir.dataDir, embedder)).toMatchObject({ reason: "corrupt", detail: "hnsw/main.hnsw is missing" });
    const other = { ...embedder, name: "minilm", dimensions: 384 };
    expect(await loadIndex(dir.dataDir, other)).toMatchObject({
      reason: "embedder",
      detail: "embedder mismatch: built with glove-sg-100d-sif-100, loading with minilm-384",
    });
  });
});

describe("opening the core", () => {
  let dir: ReturnType<typeof scratch>;
  beforeEach(() => {
    dir = scratch();
  });
  afterEach(() => dir.cleanup());

  it("rebuilds a corrupt index instead of using it, and says why", async () => {
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir });
    const first = await openAnswerService(config, memoryLogger());
    const builtAt = first.info().builtAt;
    const current = readFileSync(path.join(indexRoot(dir.dataDir), "CURRENT"), "utf8").trim();
    const hnsw = path.join(indexRoot(dir.dataDir), "builds", current, "hnsw", "main.hnsw");
    const bytes = readFileSync(hnsw);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(hnsw, bytes);

    const { log, lines } = memoryLogger();
    const second = await openAnswerService(config, { log });
    expect(lines().some((l) => String(l["msg"]).includes("hnsw/main.hnsw does not match its checksum; rebuilding"))).toBe(true);
    expect(second.info().builtAt).not.toBe(builtAt);
    const answer = await second.ask(BORDER);
    expect(answer.citations.some((c) => c.source === "Bloomberg")).toBe(true);
  });

  it("brings a stale index up to date on open when the corpus changed", async () => {
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir });
    await openAnswerService(config, memoryLogger());
    rmSync(path.join(dir.corpusDir, "pashinyan-putin-railways.md"));
    const core = await openAnswerService(config, memoryLogger());
    expect(core.info().articles.map((a) => a.id)).toEqual(["kars-gyumri-railway-talks"]);
    const answer = await core.ask(BORDER);
    expect(answer.citations.every((c) => c.articleId !== "pashinyan-putin-railways")).toBe(true);
  });

  it("keeps serving the old index when a build crashes midway", async () => {
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir });
    const core = await openAnswerService(config, memoryLogger());
    const before = core.info().builtAt;

    // A bigger corpus so the build is still running when it is killed.
    const big = path.join(dir.root, "big");
    cpSync(dir.corpusDir, big, { recursive: true });
    const source = readFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "utf8");
    for (let i = 0; i < 400; i++) writeFileSync(path.join(big, `copy-${i}.md`), source.replace("id: kars-gyumri-railway-talks", `id: copy-${i}`));
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/index-cmd.ts")], {
      cwd: REPO,
      env: { ...process.env, CORPUS_DIR: big, DATA_DIR: dir.dataDir, CACHE_DIR: TEST_CACHE_DIR, CI: "true", LOG_LEVEL: "silent" },
    });
    const killed = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.stderr.on("data", (d: Buffer) => {
        if (/embedding articles [1-9]\d*\//.test(d.toString())) child.kill("SIGKILL");
      });
      child.on("exit", (_code, signal) => resolve(signal));
    });
    expect(killed).toBe("SIGKILL");

    // The running core still answers, and a fresh process opens the old build as it was.
    expect((await core.ask(BORDER)).citations.some((c) => c.source === "Bloomberg")).toBe(true);
    const reopened = await openAnswerService(config, memoryLogger());
    expect(reopened.info().builtAt).toBe(before);
    expect((await reopened.ask(BORDER)).answered).toBe(true);
    expect(readdirSync(path.join(indexRoot(dir.dataDir), "builds"))).toHaveLength(1);
  });

  it("refuses a second rebuild while one is running", async () => {
    const config = testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir });
    const core = await openAnswerService(config, memoryLogger());
    appendFileSync(path.join(dir.corpusDir, "pashinyan-putin-railways.md"), "\nOne more paragraph.\n");
    const first = core.reindex();
    expect(core.reindexing).toBe(true);
    await expect(core.reindex()).rejects.toMatchObject({ code: "INDEX_BUSY" });
    const summary = await first;
    expect(summary.changed).toEqual(["pashinyan-putin-railways"]);
    expect(core.reindexing).toBe(false);
  });
});
