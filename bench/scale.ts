import { appendFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Config } from "../src/config.js";
import { loadConfig } from "../src/config.js";
import { createEmbedder } from "../src/embeddings/provider.js";
import { loadIndex } from "../src/index/store.js";
import { createLogger } from "../src/log.js";
import { openCore } from "../src/open-core.js";
import type { GeneratedQuestion } from "./generate.js";
import { rng } from "./generate.js";
import { round } from "./score.js";

/** Figures of one benchmark phase; each phase runs in its own process so peak RSS is its own. */
export interface BuildFigures {
  articles: number;
  passages: number;
  buildS: number;
  articlesPerS: number;
  passagesPerS: number;
  reindexOneS: number;
  buildPeakRssMb: number;
}

export interface ServeFigures {
  openS: number;
  askP50Ms: number;
  askP95Ms: number;
  askP99Ms: number;
  asked: number;
  accuracy: number;
  sourceAccuracy: number;
  peakRssMb: number;
}

export const benchConfig = (corpusDir: string, dataDir: string, cacheDir: string): Config =>
  loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: dataDir, CACHE_DIR: cacheDir, LOG_LEVEL: "silent" });

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (t0: number) => round((performance.now() - t0) / 1000, 2);

/** Build from scratch, then change one article and re-index. */
export async function buildFigures(config: Config): Promise<BuildFigures> {
  const log = createLogger({ level: "silent" });
  const t0 = performance.now();
  const core = await openCore(config, { log });
  const buildS = seconds(t0);
  const info = core.info();
  const first = readdirSync(config.corpusDir).filter((f) => f.endsWith(".md")).sort()[0]!;
  appendFileSync(path.join(config.corpusDir, first), "\nA correction was added to this article after publication.\n");
  const t1 = performance.now();
  const summary = await core.reindex();
  const reindexOneS = seconds(t1);
  if (summary.changed.length !== 1 || summary.embedded > 100) throw new Error(`bench: re-index touched more than one article: ${JSON.stringify(summary)}`);
  return {
    articles: info.articles.length,
    passages: info.passages,
    buildS,
    articlesPerS: round(info.articles.length / buildS, 1),
    passagesPerS: round(info.passages / buildS, 0),
    reindexOneS,
    buildPeakRssMb: peakRssMb(),
  };
}

/** Open the built index and answer the generated questions: latency percentiles and accuracy. */
export async function serveFigures(config: Config, questions: GeneratedQuestion[], count: number, seed = 1): Promise<ServeFigures> {
  const log = createLogger({ level: "silent" });
  const t0 = performance.now();
  const core = await openCore(config, { log });
  const openS = seconds(t0);
  const r = rng(seed);
  const sample = Array.from({ length: count }, () => questions[Math.floor(r() * questions.length)]!);
  for (const q of sample.slice(0, Math.min(20, sample.length))) await core.ask(q.question); // warm-up
  const times: number[] = [];
  let correct = 0;
  let sourced = 0;
  for (const q of sample) {
    const t = performance.now();
    const a = await core.ask(q.question);
    times.push(performance.now() - t);
    const hit = a.citations.find((c) => c.articleId === q.articleId && c.quote.includes(q.fact));
    if (hit) correct += 1;
    if (hit && (hit.source === q.source || q.source.includes(hit.source) || hit.source.includes(q.source))) sourced += 1;
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!, 1);
  return { openS, askP50Ms: pct(0.5), askP95Ms: pct(0.95), askP99Ms: pct(0.99), asked: sample.length, accuracy: round(correct / sample.length), sourceAccuracy: round(sourced / sample.length), peakRssMb: peakRssMb() };
}

/** HNSW recall@10 against exact search over the same stored vectors, for `queries` question embeddings. */
export async function hnswRecallAt10(config: Config, questions: GeneratedQuestion[], queries: number, seed = 1): Promise<number> {
  const embedder = await createEmbedder(config);
  const index = await loadIndex(config.dataDir, embedder);
  if ("reason" in index) throw new Error(`bench: ${index.detail}`);
  const entries = index.vector.entries();
  const dims = embedder.dimensions;
  const matrix = new Float32Array(entries.length * dims);
  entries.forEach(([label], i) => matrix.set(index.vector.vector(label), i * dims));
  const r = rng(seed + 7);
  let found = 0;
  for (let q = 0; q < queries; q++) {
    const question = questions[Math.floor(r() * questions.length)]!;
    const v = await embedder.embeddings.embedQuery(question.question);
    const approx = new Set(index.vector.search(v, 10).map((h) => h.id));
    const scores = new Float32Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += v[d]! * matrix[i * dims + d]!;
      scores[i] = dot;
    }
    const exact = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, 10);
    found += exact.filter((i) => approx.has(entries[i]![1])).length;
  }
  return round(found / (queries * 10));
}
