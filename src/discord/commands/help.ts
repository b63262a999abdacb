import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { NO_MENTIONS, type BotDeps, type Command } from "../command.js";

export const helpCommand: Command = {
  data: new SlashCommandBuilder().setName("help").setDescription("What this bot can do"),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const lines = [
      "**I answer questions about the news articles I have, quoting them word for word.**",
      "`/ask question:` — a cited answer; **Sources** shows the full passages, 👍/👎 tells us how it went.",
      "`/cite id:` — a passage in context with its article's title, publisher, date and link.",
      "`/verify quote:` — is this text in the sources? Verbatim, nearly, or not at all.",
      "`/sources [search:] [page:]` — the articles indexed, a page at a time, and when the index was built.",
      "`/reindex` — rebuild the index after adding articles (Manage Server only).",
      "`/settings` — where and how I answer on this server (Manage Server only).",
      "`/gaps` — what the articles could not answer, by topic, with a chart (Manage Server only).",
      ...(deps.config.DISCORD_MENTIONS
        ? ["You can also mention me with a question. In a thread I opened, mention me or reply to one of my answers to follow up."]
        : []),
      "Every quote is checked against the article text; if nothing answers your question, I say so.",
    ];
    await interaction.reply({ content: lines.join("\n"), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  },
};
