import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateArticle } from "../../bench/generate.js";
import { createEmbedder, type PassageEmbedder } from "../../src/embeddings/provider.js";
import { buildIndex } from "../../src/index/build.js";
import { PreparePool } from "../../src/index/prepare-pool.js";
import type { IndexData } from "../../src/index/store.js";
import { scratch, testConfig } from "../helpers/core.js";

/** Articles enough for the build to stream them through worker threads and a graph thread (more than two batches). */
const ARTICLES = 150;

describe("a build through prepare workers and a graph thread", () => {
  let dirs: Array<ReturnType<typeof scratch>>;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dirs = [scratch({ corpus: false }), scratch({ corpus: false })];
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => dirs.forEach((d) => d.cleanup()));

  const content = (index: IndexData) => {
    const db = new Database(path.join(index.dir, "index.sqlite"), { readonly: true });
    try {
      return {
        passages: db.prepare("SELECT label, id, article_id, n, kind, start, end, sentences, graph FROM passages ORDER BY label").raw().all(),
        terms: db.prepare("SELECT rowid, text, title FROM passage_terms ORDER BY rowid").raw().all(),
        postings: db.prepare("SELECT term, first, last, count, list FROM postings ORDER BY term, first").raw().all(),
        termDocs: db.prepare("SELECT term, docs FROM term_docs ORDER BY term").raw().all(),
        bodies: db.prepare("SELECT id, body FROM bodies ORDER BY id").raw().all(),
      };
    } finally {
      db.close();
    }
  };

  it("writes the same passages, terms and vectors as a build in one thread, one article per id", async () => {
    for (const d of dirs) {
      mkdirSync(d.corpusDir, { recursive: true });
      for (let i = 0; i < ARTICLES; i++) writeFileSync(path.join(d.corpusDir, `${String(i).padStart(4, "0")}.md`), generateArticle(i, 7).markdown);
      // A later file reusing an id, and a broken one: reported, not indexed.
      writeFileSync(path.join(d.corpusDir, "9998.md"), generateArticle(3, 7).markdown);
      writeFileSync(path.join(d.corpusDir, "9999.md"), "no front matter\n");
    }
    const pool = new PreparePool(testConfig({}), 2);
    let pooled: IndexData;
    try {
      pooled = (await buildIndex({ corpusDir: dirs[0]!.corpusDir, dataDir: dirs[0]!.dataDir, embedder, prepare: pool.prepare })).index;
    } finally {
      await pool.close();
    }
    const here = (await buildIndex({ corpusDir: dirs[1]!.corpusDir, dataDir: dirs[1]!.dataDir, embedder })).index;
    try {
      expect(pooled.manifest.passages).toBeGreaterThan(1000);
      expect(pooled.manifest.problems).toEqual(here.manifest.problems);
      expect(pooled.manifest.problems.map((p) => p.file)).toEqual(["9999.md", "9998.md"]);
      expect(content(pooled)).toEqual(content(here));
      for (const label of [0, 1, 500, pooled.manifest.passages - 1]) expect(pooled.vector.vector("main", label)).toEqual(here.vector.vector("main", label));
    } finally {
      pooled.close();
      here.close();
    }
  }, 240_000);
});
