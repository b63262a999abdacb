import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.js";
import { createEmbedder, type PassageEmbedder } from "../embeddings/provider.js";
import { prepareFiles, type FileToPrepare } from "./prepare.js";
import type { PrepareReply } from "./prepare-pool.js";

/** Entry of a `PreparePool` worker: reads and prepares the batches of files it is sent with its own embedder. */
const { config } = workerData as { config: Config };
let embedder: Promise<PassageEmbedder> | undefined;

parentPort!.on("message", (m: { id: number; corpusDir: string; files: FileToPrepare[] }) => {
  void (async () => {
    let reply: PrepareReply;
    try {
      embedder ??= createEmbedder(config);
      const prepared = await prepareFiles(m.corpusDir, m.files, await embedder);
      reply = { id: m.id, prepared };
      parentPort!.postMessage(reply, prepared.flatMap((p) => ("prepared" in p ? [p.prepared.vectors.buffer as ArrayBuffer] : [])));
    } catch (err) {
      reply = { id: m.id, error: (err as Error).message };
      parentPort!.postMessage(reply);
    }
  })();
});
