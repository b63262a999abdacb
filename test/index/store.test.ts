import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder, type PassageEmbedder } from "../../src/embeddings/provider.js";
import { buildIndex } from "../../src/index/build.js";
import { GRAPH_FILES } from "../../src/index/hnsw-store.js";
import { scratch, testConfig } from "../helpers/core.js";

describe("the SQLite + HNSW store", () => {
  let dir: ReturnType<typeof scratch>;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dir = scratch();
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => dir.cleanup());

  /** More articles, so that one changed article is a small share of the graph (a large share compacts it). */
  const addCopies = (n: number) => {
    const source = readFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "utf8");
    for (let i = 0; i < n; i++) writeFileSync(path.join(dir.corpusDir, `copy-${i}.md`), source.replace("id: kars-gyumri-railway-talks", `id: copy-${i}`));
  };

  it("re-indexes a changed article into a small delta graph and keeps the main graph file as it was", async () => {
    addCopies(10);
    const first = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const mainSum = first.index.manifest.files[GRAPH_FILES.main];
    expect(first.index.manifest.files[GRAPH_FILES.delta]).toBeUndefined();
    const mainSize = statSync(path.join(first.index.dir, GRAPH_FILES.main)).size;
    first.index.close();

    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nA new closing paragraph about freight wagons.\n");
    const second = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous: first.index });
    expect(second.index.manifest.files[GRAPH_FILES.main]).toBe(mainSum);
    expect(statSync(path.join(second.index.dir, GRAPH_FILES.delta)).size).toBeLessThan(mainSize);
    // The changed article's passages are searchable again, from the delta graph, and only once each.
    const vec = await embedder.embeddings.embedQuery("freight wagons on the Kars–Gyumri railway");
    const hits = second.index.vector.search(vec, 100);
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
    expect(hits.map((h) => h.id)).toContain("kars-gyumri-railway-talks#p17");
    expect(second.index.vector.size()).toBe(second.index.manifest.passages);
    second.index.close();
  });

  it("hands out HNSW labels that are never reused when an article changes", async () => {
    addCopies(10);
    const first = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const before = first.index.vector.entries();
    first.index.close();
    appendFileSync(path.join(dir.corpusDir, "pashinyan-putin-railways.md"), "\nOne more paragraph.\n");
    const second = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous: first.index });
    const after = second.index.vector.entries();
    const maxBefore = Math.max(...before.map((e) => e.label));
    const changed = after.filter((e) => e.id.startsWith("pashinyan-putin-railways#"));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((e) => e.label > maxBefore && e.graph === "delta")).toBe(true);
    // Unchanged passages keep their labels.
    const kept = new Map(before.filter((e) => e.id.startsWith("kars-gyumri")).map((e) => [e.id, e.label]));
    expect(after.filter((e) => e.id.startsWith("kars-gyumri")).every((e) => kept.get(e.id) === e.label)).toBe(true);
    second.index.close();
  });

  it("merges the delta graph into the main one once it grows past HNSW_DELTA_MAX", async () => {
    addCopies(10);
    const hnsw = { deltaMax: 10 };
    const first = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, hnsw });
    const mainSum = first.index.manifest.files[GRAPH_FILES.main];
    first.index.close();
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nA new closing paragraph about freight wagons.\n");
    const second = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous: first.index, hnsw });
    expect(second.index.manifest.files[GRAPH_FILES.main]).not.toBe(mainSum);
    expect(second.index.manifest.files[GRAPH_FILES.delta]).toBeUndefined();
    expect(second.index.vector.entries().every((e) => e.graph === "main")).toBe(true);
    expect(second.index.vector.size()).toBe(second.index.manifest.passages);
    const vec = await embedder.embeddings.embedQuery("freight wagons on the Kars–Gyumri railway");
    expect(second.index.vector.search(vec, 100).map((h) => h.id)).toContain("kars-gyumri-railway-talks#p17");
    second.index.close();
  });

  it("ranks by FTS5 bm25 over the project's tokenizer, and counts document frequency by normalised term", async () => {
    const { index } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const hits = index.lexical.search("Bloomberg six months", { limit: 5 });
    expect(hits[0]?.id).toBe("pashinyan-putin-railways#p13");
    expect(hits[0]?.terms).toEqual(expect.arrayContaining(["bloomberg", "month"]));
    expect(hits.every((h, i) => i === 0 || hits[i - 1]!.score >= h.score)).toBe(true);
    // "railways" and "railway" are one stemmed term.
    expect(index.lexical.documentFrequency("railways")).toBe(index.lexical.documentFrequency("railway"));
    expect(index.lexical.documentFrequency("railway")).toBeGreaterThan(0);
    expect(index.lexical.documentFrequency("zeppelin")).toBe(0);
    index.close();
  });
});
