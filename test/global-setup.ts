import path from "node:path";
import { GloveEmbeddings } from "../src/embeddings/glove.js";

/** Shared by every test: the one-time word-vector cache (converting it per test would cost 5 s and 1 GB each). */
export const TEST_CACHE_DIR = path.resolve(import.meta.dirname, "..", ".data", "cache");

export default function setup(): void {
  GloveEmbeddings.open({ cacheDir: TEST_CACHE_DIR });
}
