import { AttachmentBuilder, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { renderDailyChart } from "../../gaps/chart.js";
import { buildGapsReport, formatGapsReport } from "../../gaps/report.js";
import { MODERATORS, NO_MENTIONS, requireModerator, UserError, type BotDeps, type Command } from "../command.js";
import { LIMITS, escapeText } from "../render.js";

/** Default period of `/gaps`, in days. */
const DEFAULT_DAYS = 30;

export const gapsCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("gaps")
    .setDescription("What the articles could not answer: declined and 👎 questions by topic, with a chart (moderators)")
    .setDefaultMemberPermissions(MODERATORS)
    .addIntegerOption((o) => o.setName("days").setDescription(`How many days back (default ${DEFAULT_DAYS})`).setMinValue(1).setMaxValue(365)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    if (!interaction.inGuild()) throw new UserError("not_allowed", "Coverage gaps belong to a server; use this command in one.");
    requireModerator(interaction, "see coverage gaps");
    const days = interaction.options.getInteger("days") ?? DEFAULT_DAYS;
    // Questions people asked are shown: only to the moderator who asked for them.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const report = await buildGapsReport({ reports: deps.reports, core: deps.core }, { days, guildId: interaction.guildId });
    const content = formatGapsReport(report, { markdown: true, escape: escapeText, maxChars: LIMITS.content });
    const png = await renderDailyChart(report.days, { title: `Questions per day, last ${days} day${days === 1 ? "" : "s"}` });
    await interaction.editReply({
      content,
      files: [new AttachmentBuilder(png, { name: "questions-per-day.png", description: "Questions per day: answered, declined, thumbs down" })],
      allowedMentions: NO_MENTIONS,
    });
    deps.log.info({ guild: interaction.guildId, user: interaction.user.id, days, groups: report.groups.length, bytes: png.length }, "discord: /gaps");
  },
};
