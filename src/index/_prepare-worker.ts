import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.js";
import type { Article } from "../corpus/article.js";
import { createEmbedder, type PassageEmbedder } from "../embeddings/provider.js";
import { prepareArticles } from "./prepare.js";
import type { PrepareReply } from "./prepare-pool.js";

/** Entry of a `PreparePool` worker: prepares the batches it is sent with its own embedder. */
const { config } = workerData as { config: Config };
let embedder: Promise<PassageEmbedder> | undefined;

parentPort!.on("message", (m: { id: number; articles: Article[] }) => {
  void (async () => {
    let reply: PrepareReply;
    try {
      embedder ??= createEmbedder(config);
      const prepared = await prepareArticles(m.articles, await embedder);
      reply = { id: m.id, prepared };
      parentPort!.postMessage(reply, prepared.map((p) => p.vectors.buffer as ArrayBuffer));
    } catch (err) {
      reply = { id: m.id, error: (err as Error).message };
      parentPort!.postMessage(reply);
    }
  })();
});
