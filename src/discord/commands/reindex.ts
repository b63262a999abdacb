import { SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { secretValues } from "../../config.js";
import { AppError } from "../../errors.js";
import { createScrubber } from "../../scrub.js";
import { MODERATORS, NO_MENTIONS, requireModerator, UserError, type BotDeps, type Command } from "../command.js";
import { errorId } from "../interactions.js";
import { escapeText, truncate } from "../render.js";

/** Least time between two progress edits of the reply. */
const EDIT_EVERY_MS = 1000;
/** Longest service message shown to a moderator; the whole of it is in the logs under the error id. */
const MAX_FAILURE_CHARS = 1500;

/** A second rebuild asked for while one runs, whether this command or the service saw it first. */
const busy = () => new UserError("busy", "A rebuild is already running; questions are answered from the current index until it finishes.");

/**
 * What a moderator is told when a rebuild fails: the service's own words (they say what happened and
 * that the previous build keeps serving), without the component prefix, scrubbed, with an error id
 * that finds the full record in the logs.
 */
export function rebuildFailure(err: AppError, id: string, secrets: string[]): string {
  const words = createScrubber(secrets)(err.message)
    .replace(/^[a-z][a-z -]*:\s+/, "")
    .trim();
  const sentence = /[.!?]$/.test(words) ? words : `${words}.`;
  return `The rebuild failed: ${escapeText(truncate(sentence, MAX_FAILURE_CHARS))} (error id \`${id}\`)`;
}

export const reindexCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("reindex")
    .setDescription("Rebuild the index from the corpus folder (moderators)")
    .setDefaultMemberPermissions(MODERATORS)
    .addBooleanOption((o) => o.setName("full").setDescription("Rebuild from scratch, every article embedded again (repairs a damaged index)")),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    requireModerator(interaction, "rebuild the index");
    if (deps.core.reindexing) throw busy();
    await interaction.deferReply();
    let lastEdit = 0;
    let lastPhase = "";
    let pending = Promise.resolve();
    const run = deps.core.reindex(
      (p) => {
        const now = Date.now();
        if (p.phase === lastPhase && now - lastEdit < EDIT_EVERY_MS) return;
        lastPhase = p.phase;
        lastEdit = now;
        const text =
          p.phase === "embed"
            ? `⏳ Rebuilding: embedding articles ${p.done}/${p.total}…`
            : p.phase === "load"
              ? "⏳ Rebuilding: reading the corpus…"
              : p.phase === "write"
                ? "⏳ Rebuilding: writing the index…"
                : "⏳ Rebuilding: switching in the new index…";
        pending = pending
          .then(() => interaction.editReply({ content: text, allowedMentions: NO_MENTIONS }).then(() => undefined))
          .catch((err: unknown) => deps.log.warn({ err }, "discord: progress edit failed"));
      },
      { full: interaction.options.getBoolean("full") === true },
    );
    let summary;
    try {
      summary = await run;
    } catch (err) {
      if (err instanceof AppError && err.code === "INDEX_BUSY") throw busy();
      // The service's errors say what went wrong and what keeps serving; "something went wrong" would hide that.
      if (err instanceof AppError) {
        await pending;
        const id = errorId();
        deps.log.error({ err, errorId: id, interaction: interaction.id, user: interaction.user.id }, "discord: /reindex failed");
        throw new UserError("failed", rebuildFailure(err, id, secretValues(deps.config)));
      }
      throw err;
    }
    await pending;
    const list = (ids: string[]) =>
      ids.length
        ? ids
            .slice(0, 10)
            .map((id) => `\`${id}\``)
            .join(", ") + (ids.length > 10 ? ` and ${ids.length - 10} more` : "")
        : "none";
    const problems = summary.problems.length
      ? `\n⚠️ Skipped ${summary.problems.length} file(s): ${summary.problems
          .slice(0, 5)
          .map((p) => `${escapeText(p.file)} (${escapeText(p.problem)})`)
          .join("; ")}`
      : "";
    await interaction.editReply({
      content: `✅ **Index rebuilt** in ${(summary.ms / 1000).toFixed(1)} s: ${summary.articles} articles, ${summary.passages} passages (${summary.embedded} embedded).\nAdded: ${list(summary.added)}\nChanged: ${list(summary.changed)}\nRemoved: ${list(summary.removed)}${problems}`,
      allowedMentions: NO_MENTIONS,
    });
    deps.log.info(
      { user: interaction.user.id, added: summary.added.length, changed: summary.changed.length, removed: summary.removed.length },
      "discord: /reindex done",
    );
  },
};
