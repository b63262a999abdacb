import { execFile } from "node:child_process";
import { appendFileSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { DocumentInterface } from "@langchain/core/documents";
import { RunnableLambda, RunnableSequence } from "@langchain/core/runnables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAnswerService, type AnswerService } from "../../src/service/answer-service.js";
import { NewsRetriever, type NewsDocument } from "../../src/service/retriever.js";
import { TEST_CACHE_DIR } from "../global-setup.js";
import { memoryLogger, REPO, scratch, testConfig } from "../helpers/core.js";

const BORDER = "When could the Armenia–Turkey border reopen?";

describe("the LangChain retriever over the hybrid search", () => {
  let dir: ReturnType<typeof scratch>;
  let core: AnswerService;
  beforeAll(async () => {
    dir = scratch();
    core = await openAnswerService(testConfig({ CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir }), memoryLogger());
  });
  afterAll(async () => {
    await core.close();
    dir.cleanup();
  });

  it("returns the service's search as documents, in its order, each a verbatim passage with what a citation needs", async () => {
    const expected = await core.search(BORDER);
    const docs = await new NewsRetriever({ service: core }).invoke(BORDER);
    expect(docs.map((d) => d.id)).toEqual(expected.map((p) => p.passage.id));
    expect(docs.length).toBeGreaterThan(3);
    for (const [i, d] of docs.entries()) {
      const { passage, article } = core.getPassage(d.metadata.passageId)!;
      expect(article.body.slice(d.metadata.start, d.metadata.end)).toBe(d.pageContent);
      expect(d.pageContent).toBe(passage.text);
      expect(d.metadata).toEqual({
        articleId: article.id,
        passageId: d.id,
        start: passage.start,
        end: passage.end,
        title: article.title,
        publisher: article.publisher,
        published: article.published,
        url: article.url,
        score: expected[i]!.score,
      });
    }
    expect(docs.map((d) => d.metadata.passageId)).toContain("pashinyan-putin-railways#p13");
  });

  it("takes k, filters and the search variant", async () => {
    expect(await new NewsRetriever({ service: core, k: 2 }).invoke(BORDER)).toHaveLength(2);
    const turkiye = await new NewsRetriever({ service: core, filters: { publishers: ["türkiye today"] } }).invoke(BORDER);
    expect(turkiye.length).toBeGreaterThan(0);
    expect(turkiye.every((d) => d.metadata.articleId === "kars-gyumri-railway-talks" && d.metadata.publisher === "Türkiye Today")).toBe(true);
    expect(await new NewsRetriever({ service: core, filters: { from: "2025-12-01" } }).invoke(BORDER)).toEqual([]);
    const lexical = await new NewsRetriever({ service: core, variant: "lexical" }).invoke(BORDER);
    expect(lexical.map((d) => d.id)).toEqual((await core.search(BORDER, { variant: "lexical" })).map((p) => p.passage.id));
    const vector = await new NewsRetriever({ service: core, variant: "vector" }).invoke(BORDER);
    expect(vector.map((d) => d.id)).toEqual((await core.search(BORDER, { variant: "vector" })).map((p) => p.passage.id));
    expect(vector.map((d) => d.id)).not.toEqual(lexical.map((d) => d.id));
  });

  it("runs as the first step of a chain that formats its documents as cited quotes", async () => {
    const cite = RunnableLambda.from((docs: NewsDocument[]) =>
      docs.map((d, i) => `[${i + 1}] “${d.pageContent}” (${d.metadata.passageId}, chars ${d.metadata.start}–${d.metadata.end})`).join("\n"),
    );
    const retriever = new NewsRetriever({ service: core, k: 3 });
    const piped = await retriever.pipe(cite).invoke(BORDER);
    const sequence = await RunnableSequence.from([retriever, cite]).invoke(BORDER);
    expect(sequence).toBe(piped);
    expect(piped.split("\n")).toHaveLength(3);
    expect(piped).toMatch(
      /^\[\d\] “Pashinyan’s railway restoration plans .* “within the next six months\.”” \(pashinyan-putin-railways#p13, chars 2578–2810\)$/m,
    );
    const batch = await retriever.pipe(cite).batch([BORDER, "qwzx plorb vrrk"]);
    expect(batch[0]).toBe(piped);
  });

  it("reports each run to LangChain callbacks, as every retriever does", async () => {
    const seen: { query?: string; docs?: DocumentInterface[] } = {};
    const docs = await new NewsRetriever({ service: core, k: 3 }).invoke(BORDER, {
      callbacks: [
        {
          handleRetrieverStart: (_r: unknown, query: string) => void (seen.query = query),
          handleRetrieverEnd: (d: DocumentInterface[]) => void (seen.docs = d),
        },
      ],
    });
    expect(seen.query).toBe(BORDER);
    expect(seen.docs).toEqual(docs);
  });

  it("runs the README's LangChain example as written", async () => {
    const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
    const example = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!).find((code) => code.includes("NewsRetriever"));
    expect(example?.trimEnd().split("\n").length).toBeLessThanOrEqual(15);
    // A clone as the README's reader has it: the example beside the sources, the packages and package.json.
    writeFileSync(path.join(dir.root, "example.ts"), example!);
    for (const name of ["src", "node_modules", "package.json"]) symlinkSync(path.join(REPO, name), path.join(dir.root, name));
    const env = { ...process.env, CORPUS_DIR: dir.corpusDir, DATA_DIR: dir.dataDir, CACHE_DIR: TEST_CACHE_DIR };
    const { stdout } = await promisify(execFile)(path.join(dir.root, "node_modules", ".bin", "tsx"), ["example.ts"], { cwd: dir.root, env });
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.stringMatching(/^“Pashinyan’s railway restoration plans .* “within the next six months\.”” \(pashinyan-putin-railways#p13\)$/),
    );
  });

  it("searches the build the service serves, so a rebuild's passages are found by the same retriever", async () => {
    const retriever = new NewsRetriever({ service: core, k: 1 });
    const question = "Which freight wagons will cross at Kars?";
    expect((await retriever.invoke(question))[0]?.pageContent).not.toContain("refrigerated freight wagons");
    appendFileSync(path.join(dir.corpusDir, "kars-gyumri-railway-talks.md"), "\nThe first refrigerated freight wagons would cross at Kars in spring.\n");
    await core.reindex();
    const [doc] = await retriever.invoke(question);
    expect(doc?.pageContent).toBe("The first refrigerated freight wagons would cross at Kars in spring.");
    expect(core.getPassage(doc!.metadata.passageId)?.article.body.slice(doc!.metadata.start, doc!.metadata.end)).toBe(doc!.pageContent);
  });
});
