import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/load.js";
import { EVAL_SETS, HELD_OUT_ARTICLES, type SetQuestion } from "../../bench/eval-sets.js";
import { REPO } from "../helpers/core.js";

/** The held-out files are frozen: a changed byte means figures reported on them no longer hold. */
const FROZEN: Record<string, string> = {
  "heldout.json": "546a4df95ba755b952b5c3e6dcbafc4f0b3663f1d5bc2cd31e2a0c912cff5b0a",
  "seed-heldout.json": "3a198f345f7f0d151f9adba76eadc40901a2dc14387974abddfb80d762bb8d88",
  "more-heldout.json": "e9d35a43445397f2e360876f704e68756f34cc22a56be681b0df2d17bbe9f550",
  "scope-heldout.json": "c860a5275f85dc37411a98c71088bd77c5bffaf7a15a9bf0b41e7b08401c9770",
  "scope-seed-heldout.json": "b52eb9c83382a3b5d70246ee3c64b9cc74d514fb8c69f651fe813ba45813b4b8",
  "scope-more-heldout.json": "4f8b82d8a8f0eb96770ee61f6b7de2fdc5ce59f4c1870c7f5622c3e6ec0a1681",
};

const read = (file: string) => JSON.parse(readFileSync(path.join(REPO, file), "utf8")) as SetQuestion[];

describe("the blind evaluation sets", () => {
  it.each(Object.entries(FROZEN))("keeps %s frozen (sha-256)", (file, hash) => {
    const bytes = readFileSync(path.join(REPO, "test/fixtures/eval", file));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(hash);
  });

  it("splits by article: no dev question names a held-out article, every held-out question names one", () => {
    for (const set of EVAL_SETS) {
      for (const q of read(set.file)) {
        const held = q.articleIds.some((id) => HELD_OUT_ARTICLES.has(id));
        expect(held, `${set.name} ${q.id}`).toBe(set.split === "held-out");
      }
    }
  });

  it("quotes every expected fact verbatim from its article, and gives unanswerables none", async () => {
    for (const set of EVAL_SETS) {
      const { articles } = await loadCorpus(path.join(REPO, set.corpus));
      const bodies = new Map(articles.map((a) => [a.id, a.body]));
      for (const q of read(set.file)) {
        if (!q.answerable) {
          expect(q.facts, q.id).toEqual([]);
          continue;
        }
        expect(q.facts.length, q.id).toBeGreaterThan(0);
        for (const f of q.facts)
          expect(
            q.articleIds.some((id) => bodies.get(id)?.includes(f)),
            `${q.id}: ${f}`,
          ).toBe(true);
      }
    }
  });
});
