import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Config } from "../config.js";
import { createEmbedder, type PassageEmbedder } from "../embeddings/provider.js";
import { prepareFiles, type FileToPrepare } from "./prepare.js";
import type { PrepareReply } from "./prepare-pool.js";

/**
 * Nice value of a prepare thread. A build from scratch is bound by the graph thread, which inserts one
 * point at a time: at an equal share of the two cores with both prepare threads it fell behind, and
 * finished its queue alone while the other core idled. Below it, the prepare threads take what the
 * graph thread leaves. At 10k articles: 69–71 s instead of 90–92 s, alternating runs. Linux only,
 * where a nice value is a thread's own; elsewhere it would lower the whole process, for good.
 */
const PREPARE_NICE = 10;

/** Entry of a `PreparePool` worker: reads and prepares the batches of files it is sent with its own embedder. */
const { config } = workerData as { config: Config };
if (process.platform === "linux") {
  try {
    setPriority(PREPARE_NICE);
  } catch {
    // Not allowed here (a sandbox): the build runs at the same priority, only slower.
  }
}
let embedder: Promise<PassageEmbedder> | undefined;

parentPort!.on("message", (m: { id: number; corpusDir: string; files: FileToPrepare[] }) => {
  void (async () => {
    let reply: PrepareReply;
    try {
      embedder ??= createEmbedder(config);
      const prepared = await prepareFiles(m.corpusDir, m.files, await embedder);
      reply = { id: m.id, prepared };
      parentPort!.postMessage(
        reply,
        prepared.flatMap((p) => ("prepared" in p ? [p.prepared.vectors.buffer as ArrayBuffer] : [])),
      );
    } catch (err) {
      reply = { id: m.id, error: (err as Error).message };
      parentPort!.postMessage(reply);
    }
  })();
});
