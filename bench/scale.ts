import { appendFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Config } from "../src/config.js";
import { loadConfig } from "../src/config.js";
import { createEmbedder } from "../src/embeddings/provider.js";
import { loadCorpus } from "../src/corpus/load.js";
import { loadIndex } from "../src/index/store.js";
import { createLogger } from "../src/log.js";
import { existsSync } from "node:fs";
import type { GeneratedQuestion } from "./generate.js";
import { rng } from "./generate.js";
import { round } from "./score.js";

/** Figures of the build phase: a build from scratch, then a re-index after one article changed. */
export interface BuildFigures {
  articles: number;
  passages: number;
  buildS: number;
  articlesPerS: number;
  passagesPerS: number;
  reindexOneS: number;
  /** Passages the re-index embedded (those of the changed article only). */
  reindexEmbedded: number;
  buildPeakRssMb: number;
}

/** Figures of the serving phase: opening the built index and answering generated questions. */
export interface ServeFigures {
  openS: number;
  askP50Ms: number;
  askP95Ms: number;
  askP99Ms: number;
  asked: number;
  /** Share of questions with a citation from the expected article quoting the expected fact. */
  accuracy: number;
  /** Share with that citation attributed to the expected speaker. */
  sourceAccuracy: number;
  /** Accuracy per kind of generated fact, and for questions worded differently from the article. */
  accuracyByKind: Record<string, number>;
  abstained: number;
  /** The machine's 1-minute load average when the questions were done (2 cores: above 2, timings include waiting for a core). */
  loadAverage: number;
  peakRssMb: number;
  /** Resident memory after the last question (what stays, as opposed to the peak). */
  rssAfterMb: number;
}

/**
 * Settings of a benchmark run: the generated corpus, its own data dir, the shared word-vector cache,
 * extractive answers only; tuning keys (e.g. LEXICAL_MAX_DF_SHARE) may come from `env`.
 */
export const benchConfig = (corpusDir: string, dataDir: string, cacheDir: string, env: Record<string, string | undefined> = {}): Config =>
  loadConfig({ ...env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, CACHE_DIR: cacheDir, LOG_LEVEL: "silent", LLM_PROVIDER: "none" });

/** The settings that shape the figures, recorded next to them. */
export const benchSettings = (config: Config) => ({
  embeddings: config.EMBEDDINGS_PROVIDER,
  hnsw: { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION, efSearch: config.HNSW_EF_SEARCH },
  buildWorkers: config.BUILD_WORKERS,
  sqliteCacheMb: config.SQLITE_CACHE_MB,
  retrievalK: config.RETRIEVAL_K,
  lexicalMaxDfShare: config.LEXICAL_MAX_DF_SHARE,
  queryExpansion: config.QUERY_EXPANSION,
  answerThreshold: config.ANSWER_THRESHOLD,
});

/**
 * The service as it runs in production: the compiled JS in dist/ when `npm run build` has made it
 * (the bench builds it first), the sources otherwise. Builds then run in a compiled child process too.
 */
async function openService(config: Config, log: ReturnType<typeof createLogger>) {
  const compiled = path.resolve(import.meta.dirname, "../dist/service/answer-service.js");
  const mod = (
    existsSync(compiled) ? await import(compiled) : await import("../src/service/answer-service.js")
  ) as typeof import("../src/service/answer-service.js");
  return mod.openAnswerService(config, { log, warmBuilder: true });
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (t0: number) => round((performance.now() - t0) / 1000, 2);

/**
 * Make sure the shared word-vector cache holds every word of the corpus before a build is timed:
 * extending it (loading GloVe's 300 MB JSON) is a one-time cost per new vocabulary, not a build cost.
 */
export async function extendVocabulary(config: Config): Promise<{ vocabularyS: number }> {
  const t0 = performance.now();
  const embedder = await createEmbedder(config);
  const { articles } = await loadCorpus(config.corpusDir);
  embedder.withVocabulary?.(articles.map((a) => a.body));
  return { vocabularyS: seconds(t0) };
}

/** Build from scratch, then change one article (appending a sentence) and re-index. */
export async function buildFigures(config: Config): Promise<BuildFigures> {
  const log = createLogger({ level: "silent" });
  const t0 = performance.now();
  const core = await openService(config, log);
  const buildS = seconds(t0);
  const info = core.info();
  // The figure is for a warm build process: the first request waits for it to load its models, so
  // ask for a re-index with nothing changed first (it only stats the corpus).
  await core.reindex();
  const first = readdirSync(config.corpusDir)
    .filter((f) => f.endsWith(".md"))
    .sort()[0]!;
  appendFileSync(path.join(config.corpusDir, first), "\nA correction was added to this article after publication.\n");
  const t1 = performance.now();
  const summary = await core.reindex();
  const reindexOneS = seconds(t1);
  if (summary.changed.length !== 1 || summary.added.length + summary.removed.length > 0) {
    throw new Error(
      `bench: re-index after one changed article reported ${summary.changed.length} changed, ${summary.added.length} added, ${summary.removed.length} removed`,
    );
  }
  return {
    articles: info.articles.length,
    passages: info.passages,
    buildS,
    articlesPerS: round(info.articles.length / buildS, 1),
    passagesPerS: round(info.passages / buildS, 0),
    reindexOneS,
    reindexEmbedded: summary.embedded,
    buildPeakRssMb: peakRssMb(),
  };
}

/** `count` questions in a seeded order, each at most once while there are enough. */
export function sampleQuestions(questions: GeneratedQuestion[], count: number, seed: number): GeneratedQuestion[] {
  const r = rng(seed);
  const order = questions.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Array.from({ length: count }, (_, i) => questions[order[i % order.length]!]!);
}

/** The citation's source names the expected speaker: the same, or one a part of the other ("Dubois", "Ruth Dubois"). */
export function sameSource(expected: string, actual: string): boolean {
  const a = actual.trim().toLowerCase();
  const e = expected.trim().toLowerCase();
  return a.length > 0 && (a === e || e.includes(a) || a.includes(e));
}

/** Open the built index, warm up, then time `count` questions one at a time: latency percentiles and accuracy. */
export async function serveFigures(config: Config, questions: GeneratedQuestion[], count: number, seed = 1): Promise<ServeFigures> {
  const log = createLogger({ level: "silent" });
  const t0 = performance.now();
  const core = await openService(config, log);
  const openS = seconds(t0);
  const sample = sampleQuestions(questions, count, seed);
  for (const q of sampleQuestions(questions, Math.min(20, questions.length), seed + 1)) await core.ask(q.question);
  const times: number[] = [];
  const kinds = new Map<string, { n: number; ok: number }>();
  let correct = 0;
  let sourced = 0;
  let abstained = 0;
  for (const q of sample) {
    const t = performance.now();
    const a = await core.ask(q.question);
    times.push(performance.now() - t);
    const hit = a.citations.find((c) => c.articleId === q.articleId && c.quote.includes(q.fact));
    if (!a.answered) abstained += 1;
    if (hit) correct += 1;
    if (hit && a.citations.some((c) => c.articleId === q.articleId && c.quote.includes(q.fact) && sameSource(q.source, c.source))) sourced += 1;
    for (const kind of [q.factKind, ...(q.paraphrased ? ["paraphrased"] : [])]) {
      const k = kinds.get(kind) ?? { n: 0, ok: 0 };
      k.n += 1;
      if (hit) k.ok += 1;
      kinds.set(kind, k);
    }
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!, 1);
  return {
    openS,
    askP50Ms: pct(0.5),
    askP95Ms: pct(0.95),
    askP99Ms: pct(0.99),
    asked: sample.length,
    accuracy: round(correct / sample.length),
    sourceAccuracy: round(sourced / sample.length),
    accuracyByKind: Object.fromEntries([...kinds].map(([k, v]) => [k, round(v.ok / v.n)])),
    abstained: round(abstained / sample.length),
    loadAverage: round(os.loadavg()[0]!, 2),
    peakRssMb: peakRssMb(),
    rssAfterMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

/**
 * HNSW recall@10 against exact search over the same stored vectors, for `queries` question embeddings.
 * Ties count: an approximate neighbour is right when its exact cosine is at least the 10th best one
 * (generated passages can repeat, and two equal vectors are equally correct).
 */
export async function hnswRecallAt10(config: Config, questions: GeneratedQuestion[], queries: number, seed = 1): Promise<number> {
  const embedder = await createEmbedder(config);
  const index = await loadIndex(config.dataDir, embedder);
  if ("reason" in index) throw new Error(`bench: ${index.detail}`);
  const entries = index.vector.entries();
  const dims = embedder.dimensions;
  const matrix = new Float32Array(entries.length * dims);
  const labelOf = new Map<string, number>();
  entries.forEach(({ label, id, graph }, i) => {
    matrix.set(normalized(index.vector.vector(graph, label)), i * dims);
    labelOf.set(id, i);
  });
  let found = 0;
  for (const question of sampleQuestions(questions, queries, seed + 7)) {
    const v = normalized(await embedder.embeddings.embedQuery(question.question));
    const cosine = (row: number) => {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += v[d]! * matrix[row * dims + d]!;
      return dot;
    };
    const top = new Float64Array(10).fill(-Infinity); // exact best ten cosines, descending
    for (let i = 0; i < entries.length; i++) {
      const s = cosine(i);
      if (s <= top[9]!) continue;
      let j = 9;
      while (j > 0 && top[j - 1]! < s) {
        top[j] = top[j - 1]!;
        j -= 1;
      }
      top[j] = s;
    }
    const approx = index.vector.search(Array.from(v), 10);
    found += approx.filter((h) => cosine(labelOf.get(h.id)!) >= top[9]! - 1e-5).length;
  }
  return round(found / (queries * 10));
}

function normalized(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  const norm = Math.hypot(...out) || 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}
