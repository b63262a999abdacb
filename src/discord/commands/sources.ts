import { SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { NO_MENTIONS, type BotDeps, type Command } from "../command.js";
import { escapeText, pack } from "../render.js";
import { articleLabel } from "../../answer/format.js";

/** How many articles `/sources` lists before summarising the rest. */
const LISTED = 40;

export const sourcesCommand: Command = {
  data: new SlashCommandBuilder().setName("sources").setDescription("List the indexed articles and when the index was built"),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const info = deps.core.info();
    const articles = [...info.articles].sort((a, b) => (b.published || "").localeCompare(a.published || ""));
    const lines = articles.slice(0, LISTED).map(
      (a) => `- **${escapeText(articleLabel(a.title, a.id))}** — ${escapeText(a.publisher || "publisher unknown")}, ${a.published ? a.published.slice(0, 10) : "date unknown"} · ${a.passages} passages · \`${a.id}\``,
    );
    const more = articles.length > LISTED ? [`…and ${articles.length - LISTED} more.`] : [];
    const built = Math.floor(Date.parse(info.builtAt) / 1000);
    const blocks = [`**${articles.length} articles, ${info.passages} passages** · index built <t:${built}:f> (<t:${built}:R>) with \`${info.embedder.name}\``, ...lines, ...more];
    const [first = "", ...rest] = pack(blocks, undefined, "\n");
    await interaction.reply({ content: first, allowedMentions: NO_MENTIONS });
    for (const content of rest) await interaction.followUp({ content, allowedMentions: NO_MENTIONS });
  },
};
