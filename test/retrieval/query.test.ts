import { describe, expect, it } from "vitest";
import { createEmbedder } from "../../src/embeddings/provider.js";
import { buildQuery, queryOf } from "../../src/retrieval/query.js";
import { testConfig } from "../helpers/core.js";

const QUESTION = "When could the Armenia–Turkey border reopen?";

describe("reading a question once into a query", () => {
  it("holds its text, its index terms, its names and the kind of fact it asks for", () => {
    const q = queryOf(QUESTION);
    expect(q.text).toBe(QUESTION);
    expect(q.tokens).toEqual([
      ["armenia", "armenia"],
      ["turkey", "turkei"],
      ["border", "border"],
      ["reopen", "reopen"],
    ]);
    expect(q.terms).toEqual(["armenia", "turkei", "border", "reopen"]);
    expect([...q.names]).toEqual(["when", "armenia", "turkey"]);
    expect(q.type.kind).toBe("date");
    expect(q.cue).toBe("time");
    // Without an expander or an embedder: no expansions, no vector.
    expect(q.expansions).toEqual([]);
    expect(q.neighbours.size).toBe(0);
    expect(q.vector).toEqual([]);
    expect(q.asked).toBeUndefined();
  });

  it("keeps a resolved follow-up's question as asked, read the same way", () => {
    const q = queryOf("When did the talks take place? Kars–Gyumri railway", { asked: "and when?" });
    expect(q.terms).toContain("railwai");
    expect(q.cue).toBe("time");
    expect(q.asked).toMatchObject({ text: "and when?", tokens: [], type: { kind: "date" } });
    expect(queryOf(QUESTION, { asked: QUESTION }).asked).toBeUndefined();
  });

  it("carries the index's embedder's own vector of the question", async () => {
    const embedder = await createEmbedder(testConfig({}));
    const q = await buildQuery(QUESTION, { embedder });
    expect(q.vector).toEqual(await embedder.embeddings.embedQuery(QUESTION));
    expect(q.vector.some((x) => x !== 0)).toBe(true);
  });
});
