import type { Config } from "../config.js";
import { createEmbedder, type PassageEmbedder } from "../embeddings/provider.js";
import { splitArticle } from "../passages/split.js";
import type { BuildMessage, BuildRequest } from "./build-process.js";
import { writeBuild } from "./build.js";
import { PreparePool } from "./prepare-pool.js";
import { prepareArticles } from "./prepare.js";
import { buildSettings } from "./settings.js";

/**
 * Entry of the build process (`BuildProcess`): first the config, then one build request at a time.
 * While idle it has its embedder and the sentence splitter's model loaded, so a small re-index
 * costs what changed, not a start-up.
 */
const send = (m: BuildMessage) => new Promise<void>((resolve) => (process.connected ? process.send!(m, () => resolve()) : resolve()));

// The parent is gone (killed, or it exited): nobody will serve a build, so stop.
process.on("disconnect", () => process.exit(1));

let config: Config | undefined;
let embedder: Promise<PassageEmbedder> | undefined;
let queue = Promise.resolve();

/**
 * Prepared once at start-up and thrown away: the first re-index otherwise spends about 0.3 s (ten
 * times a later one) in code run for the first time (parsing, splitting, attribution, embedding).
 */
const WARM_UP_ARTICLE = `---
id: warm-up
title: Ferry service resumes after the storm
publisher: Warm-up Wire
published: '2025-01-07'
---

The ferry service between the two ports resumed on Tuesday, three days after a storm closed the harbour.

"We expect full timetables within the next two weeks," the operator's director, Ana Ruiz, said on Wednesday.

## Costs

Repairs to the pier will cost about $4.5 million, according to the port authority. She said the work would take six months.
`;

process.on("message", (m: { config: Config } | BuildRequest) => {
  if ("config" in m) {
    config = m.config;
    // The sentence splitter's model and GloVe's list of left-out words take a while to load: do it
    // before anyone waits for a build.
    embedder = createEmbedder(config).then((e) => (e.withVocabulary?.([]), e));
    splitArticle({ id: "warm-up", body: "Warm up. The splitter loads its model once." });
    // The corpus parser (front matter, dates, encodings) and the rest of preparing, before the first build.
    queue = embedder.then(warmUp).catch(() => undefined);
    return;
  }
  queue = queue.then(() => build(m));
});

async function warmUp(e: PassageEmbedder): Promise<void> {
  const { parseArticleFile } = await import("../corpus/load.js");
  const parsed = parseArticleFile("warm-up.md", Buffer.from(WARM_UP_ARTICLE));
  if (!("problem" in parsed)) await prepareArticles([parsed], e);
}

async function build(request: BuildRequest): Promise<void> {
  const settings = buildSettings(config!);
  const pool = settings.workers > 0 ? new PreparePool(config!, settings.workers) : undefined;
  try {
    // A fresh embedder when the last build grew GloVe's vocabulary on disk is not needed: withVocabulary returns it.
    const before = await embedder!;
    const built = await writeBuild({
      corpusDir: config!.corpusDir,
      dataDir: config!.dataDir,
      embedder: before,
      previous: request.previousDir ? { dir: request.previousDir } : undefined,
      hnsw: settings.hnsw,
      cacheMb: settings.cacheMb,
      onProgress: (progress) => void send({ type: "progress", progress }),
      ...(pool ? { prepare: pool.prepare } : {}),
      shouldSwitch: () => process.connected,
    });
    embedder = Promise.resolve(built.embedder);
    // The serving process reloads the word vectors only when this build added some to the cache.
    await send({ type: "done", dir: built.dir, summary: built.summary, vocabularyGrew: built.embedder.glove !== before.glove });
  } catch (err) {
    await send({ type: "error", message: (err as Error).message });
  } finally {
    await pool?.close();
  }
}
