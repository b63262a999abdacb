import { writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { renderDailyChart } from "../gaps/chart.js";
import { buildGapsReport, formatGapsReport } from "../gaps/report.js";
import { openStateStore } from "../state/open.js";
import { openForCli } from "./open.js";
import { runCli } from "./run.js";

interface GapsCliOptions {
  days: string;
  out?: string;
  guild?: string;
  json: boolean;
}

const program = new Command("gaps")
  .description("What the articles could not answer: declined and 👎 questions grouped by topic, and a chart of questions per day")
  .option("--days <n>", "how many days back", "30")
  .option("--out <file.png>", "write the questions-per-day chart as a PNG")
  .option("--guild <id>", "only this Discord server's questions")
  .option("--json", "print the report as one JSON object", false)
  .action(async (opts: GapsCliOptions) => {
    const days = Number(opts.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      throw new Error(`gaps: --days ${JSON.stringify(opts.days)} is invalid: expected a whole number of days from 1 to 3650`);
    const { config, log, core } = await openForCli({ logLevel: "warn" });
    // DATABASE_URL's records when it is set (every machine's questions), else the local state file.
    const state = await openStateStore(config, { log });
    try {
      const report = await buildGapsReport({ reports: state.reports, core }, { days, guildId: opts.guild });
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatGapsReport(report, { markdown: false })}\n`);
      if (opts.out) {
        const png = await renderDailyChart(report.days, { title: `Questions per day, last ${days} day${days === 1 ? "" : "s"}` });
        writeFileSync(opts.out, png);
        if (!opts.json) process.stdout.write(`chart: ${path.resolve(opts.out)} (${Math.round(png.length / 1024)} KiB)\n`);
      }
    } finally {
      await state.close();
    }
  });

runCli(program);
