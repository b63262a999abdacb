import { createInterface } from "node:readline";
import { Command, InvalidArgumentError } from "commander";
import { renderAnswerText } from "../answer/format.js";
import { activeFilters, checkFilters, checkIsoDate, type SearchFilters } from "../retrieval/filters.js";
import { printable } from "../scrub.js";
import { openForCli } from "./open.js";
import { runCli } from "./run.js";

interface AskOptions {
  json: boolean;
  stdin: boolean;
  article: string[];
  publisher: string[];
  from?: string;
  to?: string;
}

/** A repeatable option: each use adds one value (`--article a --article b`), so none can swallow the question. */
const repeat = (value: string, previous: string[]) => [...previous, value];

/** `YYYY-MM-DD` or a full ISO date-time that exists; anything else (`2025-02-30`) stops with a clear error before the index is opened. */
function isoDate() {
  return (value: string): string => {
    const checked = checkIsoDate(value);
    if (!checked.ok) throw new InvalidArgumentError(checked.reason);
    return checked.date;
  };
}

const program = new Command("ask")
  .description("Answer a question about the articles, with verbatim quoted citations")
  .argument("[question...]", "the question (quote it in the shell)")
  .option("--json", "print one JSON object per question", false)
  .option("--stdin", "read one question per line from standard input (index loaded once)", false)
  .option("--article <id>", "only this article id (repeat for more: --article a --article b)", repeat, [])
  .option("--publisher <name>", "only this publisher (repeatable)", repeat, [])
  .option("--from <date>", "only articles published on or after this ISO date (YYYY-MM-DD)", isoDate())
  .option("--to <date>", "only articles published on or before this ISO date (YYYY-MM-DD)", isoDate())
  .addHelpText("after", '\nA question that starts with "-" goes after "--": npm run ask -- --json -- "-5 °C in Gyumri?"')
  .configureOutput({ outputError: (text, write) => write(printable(text)) })
  .action(async (words: string[], opts: AskOptions) => {
    const question = printable(words.join(" "));
    if (!opts.stdin && !question.trim()) throw new Error('ask: give a question, e.g. npm run ask -- "When could the Armenia–Turkey border reopen?"');
    // At a terminal the few info lines (first run: the word-vector conversion, the build) are one
    // readable line each and tell a new user why the first answer takes seconds; piped, they would be
    // JSON noise around the answer. --json keeps stdout for JSON only either way.
    const { core } = await openForCli({ logLevel: process.env["LOG_LEVEL"] ?? (process.stderr.isTTY ? "info" : "warn") });
    const filters: SearchFilters =
      activeFilters({ articleIds: opts.article, publishers: opts.publisher, ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) }) ??
      {};
    // A filter that matches nothing would only ever be answered "no answer": say which one instead.
    const checked = checkFilters(filters, core.info().articles);
    if (checked.refused) throw new Error(`ask: ${checked.refused}`);
    for (const note of checked.notes)
      process.stderr.write(`ask: ${note}
`);
    const print = async (q: string) => {
      const answer = await core.ask(printable(q), { filters });
      process.stdout.write(opts.json ? `${JSON.stringify(answer)}\n` : `${renderAnswerText(answer)}\n`);
    };
    if (!opts.stdin) return print(question);
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) await print(line);
  });

runCli(program);
