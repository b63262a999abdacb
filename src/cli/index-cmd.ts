import { Command } from "commander";
import { openForCli } from "./open.js";
import { runCli } from "./run.js";

const program = new Command("index")
  .description("Build or update the index from the corpus folder (incremental: unchanged articles are not re-embedded)")
  .option("--full", "rebuild from scratch, every article embedded again (repairs a damaged index)")
  .action(async (opts: { full?: boolean }) => {
    const { core } = await openForCli();
    // Opening already brings a missing or stale index up to date; otherwise check once more.
    const s = opts.full ? await core.reindex(undefined, { full: true }) : (core.lastBuild() ?? (await core.reindex()));
    const info = core.info();
    process.stdout.write(
      `indexed ${s.articles} articles, ${s.passages} passages (added ${s.added.length}, changed ${s.changed.length}, removed ${s.removed.length}, embedded ${s.embedded} passages) in ${(s.ms / 1000).toFixed(2)} s with ${info.embedder.name}\n`,
    );
    for (const p of s.problems) process.stdout.write(`skipped ${p.file}: ${p.problem}\n`);
  });

runCli(program);
