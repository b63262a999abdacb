import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { generateCorpus } from "./generate.js";
import { round, table } from "./score.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

interface Options {
  scales: string;
  seed: string;
  questions: string;
  out: string;
}

const program = new Command("bench")
  .description("Speed and memory of the running system on synthetic corpora; writes bench/results/latest.json")
  .option("--scales <list>", "article counts, comma-separated", "1000,10000")
  .option("--seed <n>", "generator seed", "1")
  .option("--questions <n>", "questions asked per scale (at least 500 for p99)", "500")
  .option("--out <file>", "JSON output", path.join(root, "bench/results/latest.json"))
  .action(async (opts: Options) => {
    const scales = opts.scales.split(",").map(Number);
    const work = path.join(root, "bench/out");
    const cacheDir = path.join(root, ".data/cache");
    const runs = [];
    for (const articles of scales) {
      const corpusDir = path.join(work, `corpus-${articles}`);
      const dataDir = path.join(work, `data-${articles}`);
      const qFile = path.join(work, `questions-${articles}.json`);
      process.stderr.write(`bench: generating ${articles} articles…\n`);
      const corpus = generateCorpus(corpusDir, articles, Number(opts.seed));
      mkdirSync(work, { recursive: true });
      writeFileSync(qFile, JSON.stringify(corpus.questions));
      rmSync(dataDir, { recursive: true, force: true });
      const phase = async (mode: string, count = opts.questions) => {
        process.stderr.write(`bench: ${articles} articles: ${mode}…\n`);
        const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(root, "bench/run-scale.ts"), mode, corpusDir, dataDir, cacheDir, qFile, count], { cwd: root, maxBuffer: 1 << 26 });
        return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, number>;
      };
      const build = await phase("build");
      const serve = await phase("serve");
      const recall = await phase("recall", "200");
      const cold: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await run(process.execPath, ["--import", "tsx", path.join(root, "src/cli/ask.ts"), "--json", corpus.questions[i]!.question], {
          cwd: root,
          env: { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, CACHE_DIR: cacheDir, LOG_LEVEL: "silent" },
        });
        cold.push((performance.now() - t) / 1000);
      }
      cold.sort((a, b) => a - b);
      runs.push({
        articles,
        passages: build["passages"],
        buildS: build["buildS"],
        articlesPerS: build["articlesPerS"],
        passagesPerS: build["passagesPerS"],
        reindexOneS: build["reindexOneS"],
        coldStartS: round(cold[1]!, 2),
        openS: serve["openS"],
        askP50Ms: serve["askP50Ms"],
        askP95Ms: serve["askP95Ms"],
        askP99Ms: serve["askP99Ms"],
        asked: serve["asked"],
        peakRssMb: serve["peakRssMb"],
        buildPeakRssMb: build["buildPeakRssMb"],
        hnswRecallAt10: recall["hnswRecallAt10"],
        accuracy: serve["accuracy"],
        sourceAccuracy: serve["sourceAccuracy"],
      });
    }
    const cpus = os.cpus();
    const machine = `${cpus[0]?.model ?? "cpu"}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`;
    process.stdout.write(`${table(runs as unknown as Array<Record<string, number>>)}\n\nmachine: ${machine}; node ${process.version}\n`);
    mkdirSync(path.dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify({ at: new Date().toISOString(), machine, node: process.version, seed: Number(opts.seed), runs }, null, 2)}\n`);
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), opts.out)}\n`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
