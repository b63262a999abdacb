import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { attributeArticle } from "../src/passages/attribution.js";
import type { Article } from "../src/corpus/article.js";
import { decodeText } from "../src/corpus/decode.js";
import { loadCorpus, parseArticleFile } from "../src/corpus/load.js";
import { articleFromText } from "../src/import/source.js";
import { articleId, toMarkdown } from "../src/import/write.js";
import { splitArticle } from "../src/passages/split.js";

/**
 * `npm run eval:attribution [-- --dev a,b] [--misses] [--time] [--time-corpus <dir>]`: how many of the labelled direct quotations
 * of `../shared/news-dev` (`quotes` in each group's questions.json) are credited to the right
 * speaker. Each article goes through the importer and the corpus loader as a pasted `.txt` would,
 * then the splitter and the attributor the index runs. A quote is right when every sentence it
 * overlaps is credited to its labelled speaker (surname match, either way round); an "unknown"
 * label is right when no one is credited (the citation falls back to the publisher).
 */

const DEFAULT_DIR = path.resolve(import.meta.dirname, "../../shared/news-dev");
const GROUPS = ["a", "b", "c", "d"] as const;

interface QuoteLabel {
  article: string;
  quote: string;
  speaker: string;
}

/** How the article introduces the speaker of a quote, read from the text and the label alone. */
export type Cause =
  | "same-sentence"
  | "previous-sentence"
  | "paragraph-first"
  | "pronoun"
  | "role"
  | "multi-paragraph"
  | "quote-marks"
  | "unknown-label"
  | "not-found";
const CAUSES: Cause[] = [
  "same-sentence",
  "previous-sentence",
  "paragraph-first",
  "pronoun",
  "role",
  "multi-paragraph",
  "quote-marks",
  "unknown-label",
  "not-found",
];

export interface Scored {
  group: string;
  label: QuoteLabel;
  got: string[];
  right: boolean;
  causes: Cause[];
  /** The quote's sentence and the one before it, for reading misses. */
  context?: string;
}

const STOP = new Set(["the", "of", "and", "a", "an", "s", "for", "in", "on", "at", "to", "de", "al", "von", "der", "la", "le", "company", "group", "said"]);

/** Lowercased, accent-free word tokens without possessive endings. */
function tokens(s: string): string[] {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]s\b/g, "")
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOP.has(t));
}

/** Lenient but honest: the label's last word is in the credited name, or the credited name's last word is in the label. */
export function speakerMatches(label: string, got: string | undefined): boolean {
  if (label.trim().toLowerCase() === "unknown") return got === undefined;
  if (got === undefined) return false;
  const l = tokens(label);
  const g = tokens(got);
  if (l.length === 0 || g.length === 0) return false;
  if (g.includes(l[l.length - 1]!) || l.includes(g[g.length - 1]!)) return true;
  // "NPA" is the Norland Port Authority: an acronym matches the name it abbreviates.
  const initials = (words: string[]) => words.map((w) => w[0]).join("");
  return (g.length === 1 && g[0] === initials(l)) || (l.length === 1 && l[0] === initials(g));
}

/** Quotation marks and white space made uniform, keeping one character per character so offsets survive. */
function flat(s: string): string {
  return s
    .replace(/[“”„‟″"]/g, '"')
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/[–—]/g, "-")
    .replace(/\s/g, " ");
}

/**
 * Where a labelled quote sits in a body: quotation marks, dashes and white space compared loosely
 * (pages wrap lines inside paragraphs). A quote that closes a sentence may keep its final stop or
 * comma inside the marks or not, so it is looked for without them too. Every occurrence, in order.
 */
function locateAll(body: string, quote: string): Array<{ at: number; length: number }> {
  for (const q of [quote, quote.replace(/[,.…!?]+$/, "")]) {
    const words = flat(q)
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (words.length === 0) continue;
    const found = [...flat(body).matchAll(new RegExp(words.join("\\s+"), "g"))].map((m) => ({ at: m.index, length: m[0].length }));
    if (found.length) return found;
  }
  return [];
}

/** Read a group's articles the way `npm run import` then `npm run index` would. */
function loadGroup(dir: string): Map<string, Article> {
  const out = new Map<string, Article>();
  const rawDir = path.join(dir, "raw");
  for (const file of readdirSync(rawDir)
    .filter((f) => f.endsWith(".txt"))
    .sort()) {
    const decoded = decodeText(readFileSync(path.join(rawDir, file)), { convert: true });
    if ("problem" in decoded) throw new Error(`eval:attribution: ${file}: ${decoded.problem}`);
    const imported = articleFromText(file, decoded.text, "text");
    if ("problem" in imported) throw new Error(`eval:attribution: ${file}: ${imported.problem}`);
    const id = articleId(imported);
    const article = parseArticleFile(`${id}.md`, toMarkdown(imported, id));
    if ("problem" in article) throw new Error(`eval:attribution: ${file}: ${article.problem}`);
    out.set(path.basename(file, ".txt"), article);
  }
  return out;
}

/** Score every quote label of one group. */
export function scoreGroup(dir: string, group: string): Scored[] {
  const labels = (JSON.parse(readFileSync(path.join(dir, "questions.json"), "utf8")) as { quotes: QuoteLabel[] }).quotes;
  const articles = loadGroup(dir);
  const cache = new Map<string, { passages: ReturnType<typeof splitArticle>; attrs: ReturnType<typeof attributeArticle> }>();
  const out: Scored[] = [];
  for (const label of labels) {
    const article = articles.get(label.article);
    if (!article) throw new Error(`eval:attribution: ${group}: no article "${label.article}"`);
    let hit = cache.get(label.article);
    if (!hit) {
      const passages = splitArticle(article);
      hit = { passages, attrs: attributeArticle(passages) };
      cache.set(label.article, hit);
    }
    // A quote may appear twice (a pull quote in a heading, then the paragraph): the paragraph is the citation.
    const occurrences = locateAll(article.body, label.quote.trim());
    const inParagraph = occurrences.find((o) => hit.passages.some((p) => p.kind === "paragraph" && p.start <= o.at && o.at < p.end));
    const found = inParagraph ?? occurrences[0];
    if (!found) {
      out.push({ group, label, got: [], right: false, causes: ["not-found"] });
      continue;
    }
    const at = found.at;
    const end = at + found.length;
    const got: Array<string | undefined> = [];
    let passage = hit.passages[0]!;
    let sentenceIndex = 0;
    for (const p of hit.passages) {
      p.sentences.forEach((s, i) => {
        if (s.end <= at || s.start >= end) return;
        // A sentence the quote touches only with an ellipsis or a mark carries none of its words.
        if (!/[\p{L}\p{N}]/u.test(article.body.slice(Math.max(s.start, at), Math.min(s.end, end)))) return;
        if (got.length === 0) {
          passage = p;
          sentenceIndex = i;
        }
        got.push(hit.attrs.get(s.id)?.source);
      });
    }
    const right = got.length > 0 && got.every((g) => speakerMatches(label.speaker, g));
    out.push({
      group,
      label,
      got: got.map((g) => g ?? "(none)"),
      right,
      causes: causesOf(label, article.body, at, hit.passages, passage, sentenceIndex),
      context: `${sentenceIndex > 0 ? passage.sentences[sentenceIndex - 1]!.text : `[${hit.passages[hit.passages.indexOf(passage) - 1]?.text.slice(-200) ?? ""}]`} >> ${passage.sentences[sentenceIndex]!.text}`,
    });
  }
  return out;
}

/**
 * Where the speaker of a quote is named, independent of the attributor: in the quote's own sentence,
 * the sentence before, the paragraph's first sentence, only by a pronoun or a role, in an earlier
 * paragraph of a quotation that runs on; plus whether the quote's marks are single or mixed.
 */
function causesOf(
  label: QuoteLabel,
  body: string,
  at: number,
  passages: ReturnType<typeof splitArticle>,
  p: ReturnType<typeof splitArticle>[number],
  i: number,
): Cause[] {
  if (label.speaker.toLowerCase() === "unknown") return ["unknown-label"];
  const causes: Cause[] = [];
  const names = (text: string) => speakerMatches(label.speaker, text);
  const sentence = p.sentences[i]!;
  const outside = (text: string) => text.replace(/[“"‘][^”"’]*[”"’]/g, " ");
  const open = body[at - 1] ?? "";
  if (open === "‘" || open === "'") causes.push("quote-marks");
  else if (open === "“" && /[’']/.test(body[at + label.quote.trim().length] ?? "")) causes.push("quote-marks");
  if (names(outside(sentence.text)) || names(sentence.text)) causes.push("same-sentence");
  else if (i > 0 && names(p.sentences[i - 1]!.text)) causes.push("previous-sentence");
  else if (i > 1 && names(p.sentences[0]!.text)) causes.push("paragraph-first");
  const k = passages.indexOf(p);
  // A quotation running over paragraphs: a paragraph that opens a quote it never closes.
  const unclosed = (text: string) => (text.match(/[“]/g) ?? []).length > (text.match(/[”]/g) ?? []).length || (text.match(/"/g) ?? []).length % 2 === 1;
  if ((k > 0 && unclosed(passages[k - 1]!.text)) || unclosed(p.text)) causes.push("multi-paragraph");
  const ctx = `${i > 0 ? p.sentences[i - 1]!.text : ""} ${outside(sentence.text)}`;
  if (!causes.some((c) => c.endsWith("sentence") || c === "paragraph-first") && /\b(?:he|she|they)\b/i.test(ctx)) causes.push("pronoun");
  if (
    !causes.some((c) => c.endsWith("sentence") || c === "paragraph-first") &&
    /\bthe\s+(?:[a-z’']+\s+){0,3}(?:chief|executive|officer|director|spokes\w+|president|minister|chair\w*|head|manager|coach|mayor|governor|official|founder|leader)\b/.test(
      ctx,
    )
  )
    causes.push("role");
  return causes;
}

/** Rounds of attributing every article, for a cost figure that is not one cold pass. */
const TIME_ROUNDS = 20;

/** Mean CPU time to attribute one article (split once beforehand; attribution alone is timed). */
function timeAttribution(articles: Article[]): string {
  const passages = articles.map((a) => splitArticle(a));
  for (const p of passages) attributeArticle(p);
  // CPU time, not wall time: the machine is shared, and waiting for a core is not attribution's cost.
  const start = process.cpuUsage();
  for (let r = 0; r < TIME_ROUNDS; r++) for (const p of passages) attributeArticle(p);
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1e3 / (TIME_ROUNDS * passages.length);
  const chars = passages.reduce((n, p) => n + p.reduce((m, q) => m + q.text.length, 0), 0) / passages.length;
  return `attribution: ${ms.toFixed(3)} ms CPU per article (mean of ${TIME_ROUNDS} rounds over ${passages.length} articles, ${Math.round(chars)} characters each on average)`;
}

const pct = (n: number, d: number) => (d === 0 ? "   –  " : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

async function main(argv: string[]): Promise<void> {
  const dirArg = argv.indexOf("--dir");
  const dir = dirArg >= 0 ? path.resolve(argv[dirArg + 1] ?? "") : DEFAULT_DIR;
  const devArg = argv.indexOf("--dev");
  const dev = new Set(devArg >= 0 ? (argv[devArg + 1] ?? "").split(",") : []);
  const showMisses = argv.includes("--misses");
  const corpusArg = argv.indexOf("--time-corpus");
  if (corpusArg >= 0) {
    // Any corpus folder, e.g. the generated one `npm run bench` leaves in bench/out/corpus-1000.
    const { articles } = await loadCorpus(path.resolve(argv[corpusArg + 1] ?? ""));
    if (articles.length === 0) throw new Error(`eval:attribution: no articles in ${argv[corpusArg + 1]}`);
    process.stdout.write(`${timeAttribution(articles)}\n`);
    return;
  }
  if (!existsSync(dir)) {
    process.stderr.write(`eval:attribution: ${dir} is absent; this benchmark needs the news-dev articles (see docs/attribution.md)\n`);
    process.exitCode = 1;
    return;
  }
  const all: Scored[] = [];
  const lines: string[] = ["group  role       right / labels   accuracy"];
  for (const g of GROUPS) {
    if (!existsSync(path.join(dir, g))) continue;
    const scored = scoreGroup(path.join(dir, g), g);
    all.push(...scored);
    const right = scored.filter((s) => s.right).length;
    lines.push(
      `${g.padEnd(6)} ${(dev.size === 0 ? "" : dev.has(g) ? "developed" : "held-out").padEnd(10)} ${String(right).padStart(5)} / ${String(scored.length).padEnd(6)}   ${pct(right, scored.length)}`,
    );
  }
  const pooled = (rows: Scored[], name: string) => {
    const right = rows.filter((s) => s.right).length;
    lines.push(`${name.padEnd(17)} ${String(right).padStart(5)} / ${String(rows.length).padEnd(6)}   ${pct(right, rows.length)}`);
  };
  pooled(all, "pooled");
  if (dev.size > 0)
    pooled(
      all.filter((s) => !dev.has(s.group)),
      "pooled held-out",
    );
  lines.push("", "cause              labels  missed");
  for (const c of CAUSES) {
    const rows = all.filter((s) => s.causes.includes(c));
    if (rows.length) lines.push(`${c.padEnd(18)} ${String(rows.length).padStart(6)}  ${String(rows.filter((s) => !s.right).length).padStart(6)}`);
  }
  if (argv.includes("--time"))
    lines.push("", timeAttribution(GROUPS.filter((g) => existsSync(path.join(dir, g))).flatMap((g) => [...loadGroup(path.join(dir, g)).values()])));
  if (showMisses) {
    lines.push("", "misses (development only: read for patterns, never to fit one quote)");
    for (const s of all.filter((r) => !r.right && (dev.size === 0 || dev.has(r.group)))) {
      lines.push(
        `  ${s.group} ${s.label.article} [${s.causes.join(",")}] want ${s.label.speaker}, got ${s.got.join(" | ") || "(no sentence)"}: ${s.label.quote.slice(0, 70)}`,
      );
      if (s.context) lines.push(`      ${s.context}`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main(process.argv.slice(2));
