import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { AppError } from "../../errors.js";
import { NO_MENTIONS, UserError, type BotDeps, type Command } from "../command.js";
import { escapeText } from "../render.js";

/** Least time between two progress edits of the reply. */
const EDIT_EVERY_MS = 1000;

export const reindexCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("reindex")
    .setDescription("Rebuild the index from the corpus folder (moderators)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addBooleanOption((o) => o.setName("full").setDescription("Rebuild from scratch, every article embedded again (repairs a damaged index)")),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    // default_member_permissions can be overridden per server: check again at run time.
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError("not_allowed", "Only moderators with the Manage Server permission can rebuild the index.");
    }
    if (deps.core.reindexing) throw new UserError("busy", "A rebuild is already running; questions are answered from the current index until it finishes.");
    await interaction.deferReply();
    let lastEdit = 0;
    let lastPhase = "";
    let pending = Promise.resolve();
    const run = deps.core.reindex((p) => {
      const now = Date.now();
      if (p.phase === lastPhase && now - lastEdit < EDIT_EVERY_MS) return;
      lastPhase = p.phase;
      lastEdit = now;
      const text = p.phase === "embed" ? `⏳ Rebuilding: embedding passages ${p.done}/${p.total}…` : p.phase === "load" ? "⏳ Rebuilding: reading the corpus…" : p.phase === "write" ? "⏳ Rebuilding: writing the index…" : "⏳ Rebuilding: switching in the new index…";
      pending = pending.then(() => interaction.editReply({ content: text, allowedMentions: NO_MENTIONS }).then(() => undefined)).catch((err: unknown) => deps.log.warn({ err }, "discord: progress edit failed"));
    }, { full: interaction.options.getBoolean("full") === true });
    let summary;
    try {
      summary = await run;
    } catch (err) {
      if (err instanceof AppError && err.code === "INDEX_BUSY") throw new UserError("busy", "A rebuild is already running; questions are answered from the current index until it finishes.");
      throw err;
    }
    await pending;
    const list = (ids: string[]) => (ids.length ? ids.slice(0, 10).map((id) => `\`${id}\``).join(", ") + (ids.length > 10 ? ` and ${ids.length - 10} more` : "") : "none");
    const problems = summary.problems.length ? `\n⚠️ Skipped ${summary.problems.length} file(s): ${summary.problems.slice(0, 5).map((p) => `${escapeText(p.file)} (${escapeText(p.problem)})`).join("; ")}` : "";
    await interaction.editReply({
      content: `✅ **Index rebuilt** in ${(summary.ms / 1000).toFixed(1)} s: ${summary.articles} articles, ${summary.passages} passages (${summary.embedded} embedded).\nAdded: ${list(summary.added)}\nChanged: ${list(summary.changed)}\nRemoved: ${list(summary.removed)}${problems}`,
      allowedMentions: NO_MENTIONS,
    });
    deps.log.info({ user: interaction.user.id, added: summary.added.length, changed: summary.changed.length, removed: summary.removed.length }, "discord: /reindex done");
  },
};
