import { readFileSync } from "node:fs";
import { benchConfig, buildFigures, hnswRecallAt10, serveFigures } from "./scale.js";
import type { GeneratedQuestion } from "./generate.js";

/** One benchmark phase in its own process: `run-scale.ts <build|serve|recall> <corpus> <data> <cache> <questions.json> [count]`. */
const [mode, corpusDir, dataDir, cacheDir, questionsFile, count = "500"] = process.argv.slice(2);
if (!mode || !corpusDir || !dataDir || !cacheDir || !questionsFile) throw new Error("bench: usage: run-scale.ts <build|serve|recall> <corpus> <data> <cache> <questions.json> [count]");
const config = benchConfig(corpusDir, dataDir, cacheDir);
const questions = JSON.parse(readFileSync(questionsFile, "utf8")) as GeneratedQuestion[];
const result =
  mode === "build" ? await buildFigures(config) : mode === "serve" ? await serveFigures(config, questions, Number(count)) : { hnswRecallAt10: await hnswRecallAt10(config, questions, Number(count)) };
process.stdout.write(`${JSON.stringify(result)}\n`);
