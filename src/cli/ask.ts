import { createInterface } from "node:readline";
import { Command } from "commander";
import { renderAnswerText } from "../answer/format.js";
import type { SearchFilters } from "../core.js";
import { openForCli } from "./open.js";
import { runCli } from "./run.js";

interface AskOptions {
  json: boolean;
  stdin: boolean;
  article?: string[];
  publisher?: string[];
  from?: string;
  to?: string;
}

const program = new Command("ask")
  .description("Answer a question about the articles, with verbatim quoted citations")
  .argument("[question...]", "the question (quote it in the shell)")
  .option("--json", "print one JSON object per question", false)
  .option("--stdin", "read one question per line from standard input (index loaded once)", false)
  .option("--article <id...>", "only these article ids")
  .option("--publisher <name...>", "only these publishers")
  .option("--from <date>", "only articles published on or after this ISO date")
  .option("--to <date>", "only articles published on or before this ISO date")
  .action(async (words: string[], opts: AskOptions) => {
    const question = words.join(" ");
    if (!opts.stdin && !question.trim()) throw new Error('ask: give a question, e.g. npm run ask -- "When could the Armenia–Turkey border reopen?"');
    // Build logs are noise in a terminal answer; --json keeps stdout for JSON only either way.
    const { core } = await openForCli({ logLevel: process.env["LOG_LEVEL"] ?? "warn" });
    const filters: SearchFilters = {
      ...(opts.article ? { articleIds: opts.article } : {}),
      ...(opts.publisher ? { publishers: opts.publisher } : {}),
      ...(opts.from ? { from: opts.from } : {}),
      ...(opts.to ? { to: opts.to } : {}),
    };
    const print = async (q: string) => {
      const answer = await core.ask(q, { filters });
      process.stdout.write(opts.json ? `${JSON.stringify(answer)}\n` : `${renderAnswerText(answer)}\n`);
    };
    if (!opts.stdin) return print(question);
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) await print(line);
  });

runCli(program);
