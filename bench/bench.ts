import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { generateCorpus } from "./generate.js";
import { describeMachine, machine } from "./machine.js";
import { benchConfig, benchSettings, type BuildFigures, type ServeFigures } from "./scale.js";
import { round, table } from "./score.js";

/**
 * `npm run bench`: speed, memory and accuracy on seeded synthetic corpora. Every phase of every
 * scale runs in its own process (`run-scale.ts`) so that its peak RSS is its own; cold start spawns
 * the CLI itself. Corpora and indexes go under the git-ignored `bench/out/`.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

interface Options {
  scales: string;
  seed: string;
  questions: string;
  recallQueries: string;
  out: string;
  baseline?: string;
  build: boolean;
}

/** One row of `bench/results/latest.json`: the phases' figures, plus what the parent measures. */
export type ScaleRun = Omit<BuildFigures, "reindexEmbedded"> &
  Omit<ServeFigures, "abstained"> & {
    coldStartS: number;
    hnswRecallAt10: number;
    /** Extending the shared word-vector cache with the corpus's words before the timed build (0 once done). */
    vocabularyS: number;
    /** The same corpus and questions on the store of `--baseline <commit>`, measured in the same run. */
    baseline?: { commit: string } & Pick<BuildFigures, "buildS" | "articlesPerS" | "reindexOneS"> &
      Pick<ServeFigures, "askP50Ms" | "askP95Ms" | "accuracy" | "sourceAccuracy" | "accuracyByKind" | "peakRssMb">;
  };

const program = new Command("bench")
  .description("Speed and memory of the running system on synthetic corpora; writes bench/results/latest.json")
  .option("--scales <list>", "article counts, comma-separated", "1000,10000")
  .option("--seed <n>", "generator seed", "1")
  .option("--questions <n>", "questions timed per scale (at least 500 for a p99)", "500")
  .option("--recall-queries <n>", "queries for HNSW recall@10 against exact search", "200")
  .option("--out <file>", "JSON output", path.join(root, "bench/results/latest.json"))
  .option("--baseline <commit>", "also run the build and serve phases of this commit's code (a git archive under bench/out/) on the same corpus")
  .option("--no-build", "use dist/ as it is instead of running npm run build first")
  .action(async (opts: Options) => {
    const scales = opts.scales.split(",").map((s) => Number(s.trim()));
    if (scales.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bench: --scales wants positive integers, got ${opts.scales}`);
    const seed = Number(opts.seed);
    const work = path.join(root, "bench/out");
    const cacheDir = path.join(root, ".data/cache");
    const runs: ScaleRun[] = [];
    // Measure what production runs: the compiled JS.
    if (opts.build) {
      process.stderr.write("bench: npm run build\n");
      await run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { cwd: root });
    }
    const baselineRoot = opts.baseline ? await baselineCheckout(opts.baseline, path.join(root, "bench/out")) : undefined;
    for (const articles of scales) {
      const corpusDir = path.join(work, `corpus-${articles}`);
      const dataDir = path.join(work, `data-${articles}`);
      const qFile = path.join(work, `questions-${articles}.json`);
      const say = (what: string) => process.stderr.write(`bench: ${articles} articles: ${what}\n`);
      say("generating");
      const corpus = generateCorpus(corpusDir, articles, seed);
      mkdirSync(work, { recursive: true });
      writeFileSync(qFile, JSON.stringify(corpus.questions));
      rmSync(dataDir, { recursive: true, force: true });
      const phase = async <T>(mode: string, count: string, at = root, data = dataDir): Promise<T> => {
        say(at === root ? mode : `${mode} (baseline ${opts.baseline})`);
        // Serving runs with the Node flags `npm start` gives the bot (the memory cap), as a user gets them.
        const flags = mode === "serve" ? startFlags(at) : [];
        const { stdout } = await run(
          process.execPath,
          [...flags, "--import", "tsx", path.join(at, "bench/run-scale.ts"), mode, corpusDir, data, cacheDir, qFile, count],
          { cwd: at, maxBuffer: 1 << 26 },
        );
        return JSON.parse(stdout.trim().split("\n").pop()!) as T;
      };
      const { vocabularyS } = await phase<{ vocabularyS: number }>("vocabulary", "0");
      const build = await phase<BuildFigures>("build", "0");
      const serve = await phase<ServeFigures>("serve", opts.questions);
      const { hnswRecallAt10 } = await phase<{ hnswRecallAt10: number }>("recall", opts.recallQueries);
      say("cold start ×3");
      const cold: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const { stdout } = await run(process.execPath, [path.join(root, "bin/run.mjs"), "cli/ask", "--json", corpus.questions[i]!.question], {
          cwd: root,
          env: { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, CACHE_DIR: cacheDir, LOG_LEVEL: "silent", LLM_PROVIDER: "none" },
        });
        cold.push((performance.now() - t) / 1000);
        if (typeof (JSON.parse(stdout) as { answered?: unknown }).answered !== "boolean") throw new Error("bench: the CLI printed no answer");
      }
      cold.sort((a, b) => a - b);
      const { buildPeakRssMb, reindexEmbedded: _embedded, ...built } = build;
      const { abstained: _abstained, ...served } = serve;
      let baseline: ScaleRun["baseline"];
      if (baselineRoot) {
        // The corpus as generated: the build phase above appended a correction to one article.
        generateCorpus(corpusDir, articles, seed);
        const baseData = path.join(work, `data-${articles}-baseline`);
        rmSync(baseData, { recursive: true, force: true });
        const b = await phase<BuildFigures>("build", "0", baselineRoot, baseData);
        const sv = await phase<ServeFigures>("serve", opts.questions, baselineRoot, baseData);
        rmSync(baseData, { recursive: true, force: true });
        baseline = {
          commit: opts.baseline!,
          buildS: b.buildS,
          articlesPerS: b.articlesPerS,
          reindexOneS: b.reindexOneS,
          askP50Ms: sv.askP50Ms,
          askP95Ms: sv.askP95Ms,
          accuracy: sv.accuracy,
          sourceAccuracy: sv.sourceAccuracy,
          accuracyByKind: sv.accuracyByKind,
          peakRssMb: sv.peakRssMb,
        };
      }
      runs.push({ ...built, coldStartS: round(cold[1]!, 2), ...served, buildPeakRssMb, hnswRecallAt10, vocabularyS, ...(baseline ? { baseline } : {}) });
    }
    const m = machine();
    const rows = runs.map((r) => ({
      articles: r.articles,
      passages: r.passages,
      "build s": r.buildS,
      "art/s": r.articlesPerS,
      "pass/s": r.passagesPerS,
      "reindex-1 s": r.reindexOneS,
      "cold s": r.coldStartS,
      "p50 ms": r.askP50Ms,
      "p95 ms": r.askP95Ms,
      "p99 ms": r.askP99Ms,
      load: r.loadAverage,
      "RSS MB": r.peakRssMb,
      "RSS after MB": r.rssAfterMb,
      "build RSS MB": r.buildPeakRssMb,
      "recall@10": r.hnswRecallAt10,
      accuracy: r.accuracy,
      "source acc": r.sourceAccuracy,
      ...(r.baseline ? { "baseline acc": r.baseline.accuracy, "baseline p95": r.baseline.askP95Ms, "baseline RSS": r.baseline.peakRssMb } : {}),
    }));
    const settings = benchSettings(benchConfig(work, work, cacheDir, process.env));
    process.stdout.write(`${table(rows)}\n\nmachine: ${describeMachine(m)}; node ${process.version}; seed ${seed}; ${JSON.stringify(settings)}\n`);
    mkdirSync(path.dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify({ at: new Date().toISOString(), machine: m, node: process.version, seed, settings, runs }, null, 2)}\n`);
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), opts.out)}\n`);
  });

/** The Node flags of a checkout's `npm start` script (`node --max-old-space-size=… bin/run.mjs …`). */
function startFlags(at: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(at, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.["start"] ?? "").split(/\s+/);
  return words[0] === "node" ? words.slice(1).filter((w, i, all) => w.startsWith("--") && all.slice(0, i).every((x) => x.startsWith("--"))) : [];
}

/** The code of an earlier commit, extracted (not a git worktree) under `out`, using this checkout's node_modules. */
async function baselineCheckout(commit: string, out: string): Promise<string> {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new Error(`bench: --baseline wants a commit hash, got ${commit}`);
  const dir = path.join(out, `baseline-${commit}`);
  if (!existsSync(path.join(dir, "package.json"))) {
    mkdirSync(dir, { recursive: true });
    await run("sh", ["-c", `git archive ${commit} | tar -x -C ${JSON.stringify(dir)}`], { cwd: root });
  }
  if (!existsSync(path.join(dir, "node_modules"))) symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
