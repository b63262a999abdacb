import { parentPort, workerData } from "node:worker_threads";
import hnswlib from "hnswlib-node";
import type { GraphRequest } from "./graph-writer.js";
import type { HnswSettings } from "./hnsw-store.js";

/** Entry of a `GraphWriter` thread: inserts the points it is sent into one graph, then writes it. */
const { dims, settings } = workerData as { dims: number; settings: HnswSettings };
const graph = new hnswlib.HierarchicalNSW("cosine", dims);
let initialised = false;

parentPort!.on("message", (m: GraphRequest) => {
  void (async () => {
    try {
      if (m.type === "add") {
        const n = m.labels.length;
        if (!initialised) {
          graph.initIndex({ maxElements: Math.max(1024, n), m: settings.m, efConstruction: settings.efConstruction, randomSeed: 100 });
          initialised = true;
        } else if (graph.getCurrentCount() + n > graph.getMaxElements()) {
          graph.resizeIndex(Math.max(graph.getCurrentCount() + n, Math.ceil(graph.getMaxElements() * 1.5)));
        }
        const point = new Array<number>(dims);
        for (let i = 0; i < n; i++) {
          for (let d = 0; d < dims; d++) point[d] = m.vectors[i * dims + d]!;
          graph.addPoint(point, m.labels[i]!);
        }
        parentPort!.postMessage({ type: "added", count: n });
        return;
      }
      await graph.writeIndex(m.file);
      parentPort!.postMessage({ type: "written", count: graph.getCurrentCount() });
    } catch (err) {
      parentPort!.postMessage({ type: "error", message: (err as Error).message });
    }
  })();
});
