import { readFileSync } from "node:fs";
import type { GeneratedQuestion } from "./generate.js";
import { benchConfig, buildFigures, extendVocabulary, hnswRecallAt10, serveFigures } from "./scale.js";

/**
 * One benchmark phase in a process of its own, so its peak RSS is its own; prints one JSON line.
 * `run-scale.ts <vocabulary|build|serve|recall> <corpus> <data> <cache> <questions.json> [count]`
 */
const [mode, corpusDir, dataDir, cacheDir, questionsFile, count = "500"] = process.argv.slice(2);
if (!mode || !corpusDir || !dataDir || !cacheDir || !questionsFile)
  throw new Error("bench: usage: run-scale.ts <vocabulary|build|serve|recall> <corpus> <data> <cache> <questions.json> [count]");
const config = benchConfig(corpusDir, dataDir, cacheDir, process.env);
const questions = JSON.parse(readFileSync(questionsFile, "utf8")) as GeneratedQuestion[];
const phases: Record<string, () => Promise<object>> = {
  vocabulary: () => extendVocabulary(config),
  build: () => buildFigures(config),
  serve: () => serveFigures(config, questions, Number(count)),
  recall: async () => ({ hnswRecallAt10: await hnswRecallAt10(config, questions, Number(count)) }),
};
const phase = phases[mode];
if (!phase) throw new Error(`bench: unknown phase ${mode}; expected one of ${Object.keys(phases).join(", ")}`);
process.stdout.write(`${JSON.stringify(await phase())}\n`);
