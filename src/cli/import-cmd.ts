import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import matter from "gray-matter";
import { loadConfig } from "../config.js";
import { cleanArticleText } from "../corpus/clean.js";
import { runCli } from "./run.js";

/** Slug for an article id: lowercase words joined by dashes. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
}

const program = new Command("import")
  .description("Clean raw article text (site chrome, repeated captions, date lines) into corpus Markdown files")
  .argument("<files...>", "raw .txt files copied from news sites")
  .option("--id <id>", "article id (only with one file); default: slug of the title or file name")
  .option("--url <url>", "link to the original article (only with one file)")
  .option("--publisher <name>", "publisher, when the text does not name it")
  .option("--force", "overwrite existing corpus files", false)
  .action((files: string[], opts: { id?: string; url?: string; publisher?: string; force: boolean }) => {
    const config = loadConfig();
    if (files.length > 1 && (opts.id || opts.url)) throw new Error("import: --id and --url take one file at a time");
    for (const file of files) {
      const cleaned = cleanArticleText(readFileSync(file, "utf8"));
      const id = opts.id ?? (slugify(cleaned.title) || slugify(path.basename(file, path.extname(file))));
      const out = path.join(config.corpusDir, `${id}.md`);
      if (existsSync(out) && !opts.force) throw new Error(`import: ${out} exists (use --force to overwrite)`);
      const data = {
        id,
        title: cleaned.title,
        publisher: opts.publisher ?? cleaned.publisher,
        url: opts.url ?? "",
        published: cleaned.published,
        author: "",
      };
      writeFileSync(out, matter.stringify(cleaned.body, data));
      console.log(`${file} → ${path.relative(process.cwd(), out)} (dropped ${cleaned.dropped.length} lines of site chrome)`);
    }
  });

runCli(program);
