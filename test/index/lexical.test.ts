import { copyFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder, type PassageEmbedder } from "../../src/embeddings/provider.js";
import { buildIndex } from "../../src/index/build.js";
import { DB_FILE } from "../../src/index/database.js";
import { ftsToken } from "../../src/index/lexical.js";
import { lexicalTokens } from "../../src/text/terms.js";
import { loadIndex } from "../../src/index/store.js";
import { scratch, testConfig } from "../helpers/core.js";

const QUESTIONS = [
  "When could the Armenia–Turkey border reopen?",
  "What did Putin say about the railway through Armenia?",
  "Kars Gyumri railway talks",
  "Bloomberg six months",
];

describe("the lexical index", () => {
  let dir: ReturnType<typeof scratch>;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dir = scratch();
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => dir.cleanup());

  it("ranks passages with the same BM25 scores as FTS5's own bm25() over the same table", async () => {
    const { index } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const db = new Database(path.join(index.dir, DB_FILE), { readonly: true });
    try {
      const fts = db.prepare<[string], { id: string; score: number }>(
        "SELECT p.id AS id, -bm25(passage_terms, 1.0, 0.3) AS score FROM passage_terms JOIN passages p ON p.label = passage_terms.rowid WHERE passage_terms MATCH ? ORDER BY score DESC, p.label",
      );
      for (const question of QUESTIONS) {
        const ours = index.lexical.search(question, { limit: 1000, maxDfShare: 1 });
        const terms = [...new Set(lexicalTokens(question).map(([, t]) => `"${ftsToken(t)}"`))];
        const theirs = fts.all(terms.join(" OR "));
        expect(ours.length).toBeGreaterThan(0);
        expect(ours.map((h) => h.id)).toEqual(theirs.map((h) => h.id));
        ours.forEach((h, i) => expect(h.score).toBeCloseTo(theirs[i]!.score, 9));
      }
    } finally {
      db.close();
      index.close();
    }
  });

  it("scores from a long posting list kept in memory as from the list read again, and as FTS5's bm25() does", async () => {
    // 1,200 passages that say "ferry", a quarter of them "harbour" too: "ferry"'s list is long enough to be kept.
    const paragraphs = Array.from(
      { length: 1200 },
      (_, i) => `Paragraph ${i + 1}: the ferry ${i % 4 === 0 ? "left the harbour" : "sailed"} on time${i % 7 === 0 ? ", and then the ferry turned back" : ""}.`,
    );
    writeFileSync(
      path.join(dir.corpusDir, "ferries.md"),
      `---\nid: ferries\ntitle: Ferries\npublisher: Test Wire\npublished: '2025-11-01'\n---\n\n${paragraphs.join("\n\n")}\n`,
    );
    const { index, summary } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    expect(summary.problems).toEqual([]);
    const db = new Database(path.join(index.dir, DB_FILE), { readonly: true });
    const uncached = (await loadIndex(dir.dataDir, embedder, { postingsCacheMb: 0 })) as Exclude<Awaited<ReturnType<typeof loadIndex>>, { reason: string }>;
    try {
      const fts = db.prepare<[string], { id: string; score: number }>(
        "SELECT p.id AS id, -bm25(passage_terms, 1.0, 0.3) AS score FROM passage_terms JOIN passages p ON p.label = passage_terms.rowid WHERE passage_terms MATCH ? ORDER BY score DESC, p.label",
      );
      const question = "When did the ferry leave the harbour?";
      const terms = [...new Set(lexicalTokens(question).map(([, t]) => `"${ftsToken(t)}"`))];
      const theirs = fts.all(terms.join(" OR "));
      expect(theirs.length).toBeGreaterThan(1000);
      // The first search reads and keeps "ferry"'s list, the second scores from it; the other index never keeps one.
      for (const lexical of [index.lexical, index.lexical, uncached.lexical]) {
        const ours = lexical.search(question, { limit: 2000, maxDfShare: 1 });
        expect(ours.map((h) => h.id)).toEqual(theirs.map((h) => h.id));
        ours.forEach((h, i) => expect(h.score).toBeCloseTo(theirs[i]!.score, 9));
      }
    } finally {
      db.close();
      uncached.close();
      index.close();
    }
  });

  it("keeps BM25 through re-indexes that change, add and remove articles as a build from scratch scores it, and drops gone passages' entries", async () => {
    const ferries = (n: number, word: string) =>
      `---\nid: ferries-${n}\ntitle: Ferries ${n}\npublisher: Test Wire\npublished: '2025-11-0${n}'\n---\n\n${Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}: the ferry ${i % 3 === 0 ? `left the ${word}` : "sailed"} on time.`).join("\n\n")}\n`;
    for (const n of [1, 2, 3]) writeFileSync(path.join(dir.corpusDir, `ferries-${n}.md`), ferries(n, "harbour"));
    let { index } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const questions = [...QUESTIONS, "When did the ferry leave the harbour?", "Which ferry left the port?"];
    const fts = (db: Database.Database, question: string) => {
      const terms = [...new Set(lexicalTokens(question).map(([, t]) => `"${ftsToken(t)}"`))];
      const match =
        "SELECT p.id AS id, -bm25(passage_terms, 1.0, 0.3) AS score FROM passage_terms JOIN passages p ON p.label = passage_terms.rowid WHERE passage_terms MATCH ? ORDER BY score DESC, p.label";
      return db.prepare<[string], { id: string; score: number }>(match).all(terms.join(" OR "));
    };
    // FTS5 leaves its row count and mean length as they were when a contentless row is deleted, so a
    // re-indexed build is checked against FTS5 over a build of the same corpus from scratch.
    const check = async () => {
      const fresh = scratch({ corpus: false });
      const rebuilt = await buildIndex({ corpusDir: dir.corpusDir, dataDir: fresh.dataDir, embedder });
      const scratchDb = new Database(path.join(rebuilt.index.dir, DB_FILE), { readonly: true });
      const db = new Database(path.join(index.dir, DB_FILE), { readonly: true });
      try {
        for (const question of questions) {
          const ours = index.lexical.search(question, { limit: 1000, maxDfShare: 1 });
          const theirs = fts(scratchDb, question);
          expect(ours.length).toBeGreaterThan(0);
          expect(new Set(ours.map((h) => h.id))).toEqual(new Set(theirs.map((h) => h.id)));
          const score = new Map(theirs.map((h) => [h.id, h.score]));
          ours.forEach((h, i) => {
            expect(h.score).toBeCloseTo(score.get(h.id)!, 9);
            if (i > 0) expect(h.score).toBeLessThanOrEqual(ours[i - 1]!.score);
          });
        }
        // Each term's live passage count is FTS5's own.
        db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, passage_terms, 'row')");
        expect(db.prepare("SELECT term, docs FROM term_docs ORDER BY term").raw().all()).toEqual(
          db.prepare("SELECT term, doc FROM temp.vocab ORDER BY term").raw().all(),
        );
        return {
          entries: db.prepare("SELECT sum(count) FROM postings").pluck().get() as number,
          live: db.prepare("SELECT sum(docs) FROM term_docs").pluck().get() as number,
        };
      } finally {
        db.close();
        scratchDb.close();
        rebuilt.index.close();
        fresh.cleanup();
      }
    };
    const reindex = async () => {
      const next = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous: index });
      index.close();
      index = next.index;
    };
    try {
      const built = await check();
      expect(built.entries).toBe(built.live);
      // A changed article ("port" for "harbour") and a new one: the old version's entries stay, uncounted.
      writeFileSync(path.join(dir.corpusDir, "ferries-2.md"), ferries(2, "port"));
      writeFileSync(path.join(dir.corpusDir, "ferries-4.md"), ferries(4, "port"));
      await reindex();
      const changed = await check();
      expect(changed.entries).toBeGreaterThan(changed.live);
      // Two articles gone as well: gone passages' entries now pass a quarter of all, and are vacuumed.
      rmSync(path.join(dir.corpusDir, "ferries-1.md"));
      rmSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"));
      await reindex();
      const vacuumed = await check();
      expect(vacuumed.entries).toBe(vacuumed.live);
      expect(vacuumed.live).toBeLessThan(changed.live);
    } finally {
      index.close();
    }
  });

  it("opens a graph file that was copied (a new mtime, the same bytes) by checking its hash", async () => {
    const { index } = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    const graph = path.join(index.dir, "hnsw", "main.hnsw");
    index.close();
    copyFileSync(graph, `${graph}.copy`);
    copyFileSync(`${graph}.copy`, graph);
    const then = statSync(graph).mtime;
    utimesSync(graph, then, new Date(then.getTime() + 5000));
    const again = await loadIndex(dir.dataDir, embedder);
    if ("reason" in again) throw new Error(again.detail);
    expect(again.vector.size()).toBe(again.manifest.passages);
    again.close();
  });
});
