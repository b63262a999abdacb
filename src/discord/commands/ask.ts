import { ActionRowBuilder, ButtonBuilder, ButtonStyle, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { NO_MENTIONS, UserError, type BotDeps, type Command } from "../command.js";
import { printable } from "../../scrub.js";
import { renderAnswer } from "../render.js";

export const askCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question about the news articles; get quoted, attributed citations")
    .addStringOption((o) => o.setName("question").setDescription("Your question").setRequired(true).setMaxLength(4000)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const question = printable(interaction.options.getString("question", true));
    if (question.trim().length > deps.config.MAX_QUESTION_CHARS) {
      throw new UserError("too_long", `Questions are limited to ${deps.config.MAX_QUESTION_CHARS} characters; yours has ${question.trim().length}.`);
    }
    const limited = deps.limits.check(interaction.user.id, interaction.guildId);
    if (limited) throw new UserError("rate_limited", limited);
    // Within Discord's 3-second window: the user sees "thinking…" until the answer is edited in.
    await interaction.deferReply();
    const answer = await deps.core.ask(question);
    const stored = deps.feedback.recordAnswer(answer, interaction.user.id);
    const [first = "", ...rest] = renderAnswer(answer);
    const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(`sources:${stored.id}`).setLabel("Sources").setStyle(ButtonStyle.Secondary).setDisabled(answer.citations.length === 0 && answer.related.length === 0),
      new ButtonBuilder().setCustomId(`vote:${stored.id}:up`).setEmoji("👍").setStyle(ButtonStyle.Secondary),
      new ButtonBuilder().setCustomId(`vote:${stored.id}:down`).setEmoji("👎").setStyle(ButtonStyle.Secondary),
    );
    await interaction.editReply({ content: first, components: [buttons], allowedMentions: NO_MENTIONS });
    for (const content of rest) await interaction.followUp({ content, allowedMentions: NO_MENTIONS });
    deps.log.info({ interaction: interaction.id, answered: answer.answered, citations: answer.citations.length, ms: answer.timings.totalMs }, "discord: answered /ask");
  },
};
