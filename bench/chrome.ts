/**
 * How much site chrome survives `npm run import` of pasted pages: every raw page of news-dev
 * (`../shared/news-dev/<group>/raw/*.txt`, read at run time, never copied) goes through the
 * importer's own text path (`articleFromText`, then `prepareArticle` as the writer does), and each
 * line labelled in `bench/fixtures/chrome-labels.json` (chrome / subhead / body, stored as a hash of
 * the line, never its text) is looked up in the result. Groups a and b are where the rules were
 * developed; c and d are held out.
 *
 *   npm run eval:chrome                 # this checkout
 *   npm run eval:chrome -- --before     # the same, with the importer of commit bab570a
 *   npm run eval:chrome -- --dir <news-dev folder> --out bench/results/chrome.json
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import type { ImportedArticle, ImportProblem } from "../src/import/source.js";

/** The commit whose importer is "before": the code as issue #23 found it. */
const BEFORE_COMMIT = "bab570a";
const ROOT = path.resolve(import.meta.dirname, "..");

type Label = "chrome" | "subhead" | "body";
interface LabelledLine {
  group: string;
  slug: string;
  line: number;
  sha1OfTrimmedLine: string;
  label: Label;
}

/** One page through the importer: the text blocks of its body (markers removed) and its title. */
interface Imported {
  blocks: string[];
  headings: Set<string>;
  title: string;
}

type ImportText = (source: string, text: string) => Imported;

interface Tally {
  pages: number;
  chrome: number;
  chromeKept: number;
  chromeAsHeading: number;
  subheads: number;
  subheadsLost: number;
  body: number;
  bodyLost: number;
}

const program = new Command("eval:chrome")
  .option("--dir <folder>", "the news-dev folder", path.join(ROOT, "..", "shared", "news-dev"))
  .option("--labels <file>", "labelled lines", path.join(ROOT, "bench", "fixtures", "chrome-labels.json"))
  .option("--before", `measure the importer of commit ${BEFORE_COMMIT} instead of this checkout`, false)
  .option("--out <file>", "also write the figures as JSON")
  .option("--show <label>", "print the lines of this label that the importer gets wrong (chrome kept, subhead or body lost)")
  .action(async (opts: { dir: string; labels: string; before: boolean; out?: string; show?: Label }) => {
    if (!existsSync(opts.dir)) {
      process.stderr.write(
        `eval:chrome: news-dev folder not found at ${opts.dir}. This benchmark reads its raw pages at run time (they are not in the repository); pass --dir <folder>.\n`,
      );
      process.exitCode = 1;
      return;
    }
    const labels = JSON.parse(readFileSync(opts.labels, "utf8")) as LabelledLine[];
    const { importText, cleanup } = opts.before ? await beforeImporter() : { importText: await currentImporter(), cleanup: () => {} };
    try {
      const tallies = measure(opts.dir, labels, importText, opts.show);
      report(tallies, opts.before ? `importer of ${BEFORE_COMMIT}` : "this checkout");
      if (opts.out) writeFileSync(opts.out, `${JSON.stringify({ code: opts.before ? BEFORE_COMMIT : "checkout", tallies }, null, 2)}\n`);
    } finally {
      cleanup();
    }
  });

/** The importer's text path as `npm run import` runs it in this checkout. */
async function currentImporter(): Promise<ImportText> {
  const { articleFromText } = await import("../src/import/source.js");
  const { prepareArticle } = await import("../src/import/write.js");
  return (source, text) => toImported(articleFromText(source, text, "text"), (a) => prepareArticle(a).article);
}

/** The importer of `BEFORE_COMMIT`, from `git archive` in a temporary folder that shares this checkout's node_modules. */
async function beforeImporter(): Promise<{ importText: ImportText; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), "chrome-before-"));
  const tar = execFileSync("git", ["-C", ROOT, "archive", BEFORE_COMMIT, "src"], { maxBuffer: 64 * 1024 * 1024 });
  execFileSync("tar", ["-x", "-C", dir], { input: tar });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const mod = (await import(pathToFileURL(path.join(dir, "src", "import", "source.ts")).href)) as typeof import("../src/import/source.js");
  return {
    importText: (source, text) => toImported(mod.articleFromText(source, text, "text"), (a) => a),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function toImported(result: ImportedArticle | ImportProblem, finish: (a: ImportedArticle) => ImportedArticle): Imported {
  if ("problem" in result) return { blocks: [], headings: new Set(), title: "" };
  const a = finish(result);
  const raw = a.body
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter(Boolean);
  const headings = new Set(raw.filter((b) => b.startsWith("## ")).map((b) => norm(b.slice(3))));
  return { blocks: raw.map((b) => norm(b.replace(/^(?:## |Caption: )/, ""))), headings, title: norm(a.title) };
}

/** Letters and digits only, lowercased: a line and its copy in the corpus compare equal whatever the quotes, dashes or repaired mojibake. */
function norm(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function measure(dir: string, labels: LabelledLine[], importText: ImportText, show: Label | undefined): Map<string, Tally> {
  const byPage = new Map<string, LabelledLine[]>();
  for (const l of labels) {
    const key = `${l.group}/${l.slug}`;
    byPage.set(key, [...(byPage.get(key) ?? []), l]);
  }
  const tallies = new Map<string, Tally>();
  for (const group of readdirSync(dir)
    .filter((g) => existsSync(path.join(dir, g, "raw")))
    .sort()) {
    const tally: Tally = { pages: 0, chrome: 0, chromeKept: 0, chromeAsHeading: 0, subheads: 0, subheadsLost: 0, body: 0, bodyLost: 0 };
    for (const file of readdirSync(path.join(dir, group, "raw"))
      .filter((f) => f.endsWith(".txt"))
      .sort()) {
      const slug = file.replace(/\.txt$/, "");
      const page = byPage.get(`${group}/${slug}`);
      if (!page) continue;
      const text = readFileSync(path.join(dir, group, "raw", file), "utf8");
      const rawLines = text.replace(/\r\n?/g, "\n").split("\n");
      const got = importText(file, text);
      tally.pages++;
      for (const l of page) {
        const line = rawLines[l.line - 1]?.trim() ?? "";
        if (sha1(line) !== l.sha1OfTrimmedLine)
          throw new Error(`eval:chrome: ${group}/${file}:${l.line} is not the line that was labelled; the labels are for another copy of news-dev`);
        const n = norm(line);
        const before = norm(rawLines[l.line - 2] ?? "");
        const after = norm(rawLines[l.line] ?? "");
        const inBody =
          n !== "" &&
          got.blocks.some(
            (b) =>
              b === n ||
              (before !== "" && b.includes(`${before} ${n}`)) ||
              (after !== "" && b.includes(`${n} ${after}`)) ||
              (n.split(" ").length >= 4 && b.includes(n)),
          );
        // The title is the article's own; a chrome line counts as kept only in the body, any other line also as the title.
        const kept = inBody || (l.label !== "chrome" && n !== "" && got.title === n);
        const wrong = l.label === "chrome" ? kept : !kept;
        if (l.label === "chrome") {
          tally.chrome++;
          if (kept) tally.chromeKept++;
          if (got.headings.has(n)) tally.chromeAsHeading++;
        } else if (l.label === "subhead") {
          tally.subheads++;
          if (!kept) tally.subheadsLost++;
        } else {
          tally.body++;
          if (!kept) tally.bodyLost++;
        }
        if (wrong && show === l.label) process.stdout.write(`${l.label} ${kept ? "kept" : "lost"}: ${group}/${slug}:${l.line} ${line.slice(0, 100)}\n`);
      }
    }
    tallies.set(group, tally);
  }
  return tallies;
}

function sha1(s: string): string {
  return createHash("sha1").update(s).digest("hex");
}

function report(tallies: Map<string, Tally>, what: string): void {
  const sum = (groups: string[]): Tally => {
    const t: Tally = { pages: 0, chrome: 0, chromeKept: 0, chromeAsHeading: 0, subheads: 0, subheadsLost: 0, body: 0, bodyLost: 0 };
    for (const g of groups) for (const [k, v] of Object.entries(tallies.get(g) ?? {})) t[k as keyof Tally] += v;
    return t;
  };
  const rows: [string, Tally][] = [...tallies.entries()];
  rows.push(["a+b (dev)", sum(["a", "b"])], ["c+d (held out)", sum(["c", "d"])], ["all", sum([...tallies.keys()])]);
  const pct = (k: number, n: number) => (n === 0 ? "–" : `${((100 * (n - k)) / n).toFixed(1)}%`);
  process.stdout.write(`eval:chrome (${what})\n`);
  process.stdout.write("group            pages  chrome  kept (as ##)  removed  subheads lost  body lines lost\n");
  for (const [name, t] of rows) {
    process.stdout.write(
      `${name.padEnd(16)} ${String(t.pages).padStart(5)}  ${String(t.chrome).padStart(6)}  ${String(t.chromeKept).padStart(4)} (${String(t.chromeAsHeading).padStart(3)})   ${pct(t.chromeKept, t.chrome).padStart(6)}  ${`${t.subheadsLost}/${t.subheads}`.padStart(13)}  ${`${t.bodyLost}/${t.body}`.padStart(15)}\n`,
    );
  }
}

await program.parseAsync();
