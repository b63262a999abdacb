import { appendFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbedder, type PassageEmbedder } from "../../src/embeddings/provider.js";
import { buildIndex } from "../../src/index/build.js";
import { DB_FILE } from "../../src/index/database.js";
import { termSet } from "../../src/text/terms.js";
import type { IndexData } from "../../src/index/store.js";
import { scratch, testConfig } from "../helpers/core.js";

describe("corpus facts stored at index time", () => {
  let dir: ReturnType<typeof scratch>;
  let embedder: PassageEmbedder;

  beforeEach(async () => {
    dir = scratch();
    embedder = await createEmbedder(testConfig({}));
  });
  afterEach(() => dir.cleanup());

  /** Every stored fact of every article against what reading its passages gives. */
  const expectFactsOfPassages = (index: IndexData) => {
    for (const { id, title } of index.articles()) {
      const passages = index.passagesOf(id);
      let heading: number | undefined;
      const counts = new Map<string, number>();
      let sentences = 0;
      for (const p of passages) {
        const stored = index.facts.passage(p.id)!;
        expect(stored.sentences.map((s) => [...s])).toEqual(p.sentences.map((s) => [...termSet(s.text)]));
        expect([...stored.passage]).toEqual([...termSet(p.text)]);
        expect(stored.heading).toBe(heading);
        expect(index.sectionHeading(p)?.n).toBe(heading);
        if (p.kind === "heading") heading = p.n;
        for (const s of p.sentences) {
          sentences++;
          for (const t of termSet(s.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
        }
      }
      const terms = index.facts.article(id)!;
      const floor = Math.max(3, sentences * 0.15);
      expect(terms.title).toEqual(termSet(title));
      expect(terms.words).toEqual(new Set([...counts.keys(), ...termSet(title)]));
      expect(terms.topics).toEqual(new Set([...termSet(title), ...[...counts].filter(([, n]) => n >= floor).map(([t]) => t)]));
    }
  };

  const factRows = (index: IndexData) => {
    const db = new Database(path.join(index.dir, DB_FILE), { readonly: true });
    try {
      return {
        passages: db.prepare("SELECT count(*) FROM passage_facts").pluck().get(),
        live: db.prepare("SELECT count(*) FROM passages p JOIN passage_facts f ON f.label = p.label").pluck().get(),
        articles: db.prepare("SELECT count(*) FROM article_facts").pluck().get(),
      };
    } finally {
      db.close();
    }
  };

  it("stores each sentence's and passage's terms, its section heading and each article's topic, as the passages read", async () => {
    const built = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    expect(built.index.articles().length).toBeGreaterThan(1);
    expectFactsOfPassages(built.index);
    built.index.close();
  });

  it("replaces a changed article's facts when it is re-indexed, leaving none of the old ones behind", async () => {
    const first = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder });
    first.index.close();
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\n## Freight\n\nA new closing paragraph about freight wagons.\n");
    const second = await buildIndex({ corpusDir: dir.corpusDir, dataDir: dir.dataDir, embedder, previous: first.index });
    expect(second.summary.changed).toEqual(["kars-gyumri-railway-talks"]);
    expectFactsOfPassages(second.index);
    const last = second.index.passagesOf("kars-gyumri-railway-talks").at(-1)!;
    expect(second.index.sectionHeading(last)?.text).toBe("Freight");
    const rows = factRows(second.index);
    expect(rows).toEqual({ passages: second.index.manifest.passages, live: second.index.manifest.passages, articles: second.index.articles().length });
    second.index.close();
  });
});
