import { createEmbedder } from "../embeddings/provider.js";
import type { BuildMessage, BuildRequest } from "./build-process.js";
import { writeBuild } from "./build.js";
import { buildSettings } from "./settings.js";
import { PreparePool } from "./prepare-pool.js";

/** Entry of the build process started by `runBuildProcess`: one request, one build, then exit. */
const send = (m: BuildMessage) => new Promise<void>((resolve) => (process.connected ? process.send!(m, () => resolve()) : resolve()));

// The parent is gone (killed, or it exited): nobody will serve this build, so stop.
process.on("disconnect", () => process.exit(1));

process.once("message", (request: BuildRequest) => {
  void (async () => {
    const { config } = request;
    const settings = buildSettings(config);
    const pool = settings.workers > 0 ? new PreparePool(config, settings.workers) : undefined;
    try {
      const embedder = await createEmbedder(config);
      const built = await writeBuild({
        corpusDir: config.corpusDir,
        dataDir: config.dataDir,
        embedder,
        previous: request.previousDir ? { dir: request.previousDir } : undefined,
        hnsw: settings.hnsw,
        cacheMb: settings.cacheMb,
        onProgress: (progress) => void send({ type: "progress", progress }),
        ...(pool ? { prepare: pool.prepare } : {}),
        shouldSwitch: () => process.connected,
      });
      await send({ type: "done", dir: built.dir, summary: built.summary });
    } catch (err) {
      await send({ type: "error", message: (err as Error).message });
    } finally {
      await pool?.close();
      process.exit(0);
    }
  })();
});
