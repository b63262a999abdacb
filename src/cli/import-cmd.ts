import path from "node:path";
import { Command } from "commander";
import { articleReference } from "../answer/format.js";
import { loadConfig, secretValues } from "../config.js";
import { writingToCorpus } from "../service/corpus-sync.js";
import { createLogger } from "../log.js";
import { expandInputs, readSource, type ImportedArticle, type ImportProblem } from "../import/source.js";
import { writeArticles } from "../import/write.js";
import { runCli } from "./run.js";

interface ImportOptions {
  id?: string;
  url?: string;
  publisher?: string;
  published?: string;
  force: boolean;
}

const program = new Command("import")
  .description("Import articles into the corpus: text files with a metadata header, HTML pages, folders, globs and http(s) URLs")
  .argument("<inputs...>", "files (.txt, .md, .html), folders, globs or http(s) URLs")
  .option("--id <id>", "article id (only with one input); default: slug of the title or file name")
  .option("--url <url>", "link to the original, for every input")
  .option("--publisher <name>", "publisher, for every input")
  .option("--published <date>", "publication date (2025-03-15, 15 March 2025, …), for every input")
  .option("--force", "replace articles whose id already exists", false)
  .action(async (inputs: string[], opts: ImportOptions) => {
    const config = loadConfig();
    const { sources, problems } = await expandInputs(inputs);
    if (opts.id && sources.length > 1) throw new Error("import: --id names one article; give one input or leave it out");
    const failed: ImportProblem[] = [...problems];
    const good: ImportedArticle[] = [];
    const settings = { fetch: { timeoutMs: config.IMPORT_TIMEOUT_MS, maxBytes: config.IMPORT_MAX_BYTES, maxRedirects: config.IMPORT_MAX_REDIRECTS } };
    const overrides = { publisher: opts.publisher, published: opts.published, url: opts.url };
    for (const [i, source] of sources.entries()) {
      const result = await readSource(source, overrides, settings);
      const step = `[${i + 1}/${sources.length}] ${source}`;
      if ("problem" in result) {
        failed.push(result);
        process.stderr.write(`${step}: failed: ${result.problem}\n`);
      } else {
        good.push(result);
        process.stderr.write(`${step}: read${result.notes.length ? ` (${result.notes.join("; ")})` : ""}\n`);
      }
    }
    // With DATABASE_URL, the articles table is the corpus: the files written go there, for every node.
    const { written, skipped } = await writingToCorpus(config, createLogger({ level: config.LOG_LEVEL, secrets: secretValues(config) }), () =>
      writeArticles(config.corpusDir, good, { force: opts.force, id: opts.id }),
    );
    const out: string[] = [`Imported ${written.length}, skipped ${skipped.length}, failed ${failed.length}.`];
    for (const w of written) {
      const a = w.article;
      const ref = articleReference({ title: a.title ? `"${a.title}"` : "", id: w.id, publisher: a.publisher, published: a.published }, { time: true });
      out.push(`  imported ${w.id}${w.replaced ? " (replaced)" : ""}: ${ref}, ${w.words} words → ${path.relative(process.cwd(), w.file)}`);
      for (const note of w.notes) out.push(`    ${note}`);
    }
    for (const s of skipped) out.push(`  skipped ${s.source}: ${s.problem}`);
    for (const f of failed) out.push(`  failed ${f.source}: ${f.problem}`);
    process.stdout.write(`${out.join("\n")}\n`);
    if (written.length > 0) process.stdout.write("Run npm run index (or /reindex in Discord) to index them.\n");
    if (written.length === 0 && (failed.length > 0 || skipped.length > 0)) process.exitCode = 1;
  });

runCli(program);
