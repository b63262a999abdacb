import type { Config } from "../config.js";
import type { HnswSettings } from "./hnsw-store.js";

/** Everything about building and serving an index that the config decides. */
export interface IndexSettings {
  hnsw: HnswSettings;
  /** SQLite page cache per connection, MiB. */
  cacheMb: number;
  /** Long BM25 posting lists kept in memory per open build, MiB. */
  postingsCacheMb: number;
  /** Worker threads that split and embed during a build (0: the build thread does it). */
  workers: number;
}

export function buildSettings(config: Config): IndexSettings {
  return {
    hnsw: { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH, deltaMax: config.HNSW_DELTA_MAX },
    cacheMb: config.SQLITE_CACHE_MB,
    postingsCacheMb: config.LEXICAL_CACHE_MB,
    workers: config.BUILD_WORKERS,
  };
}
