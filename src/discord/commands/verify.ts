import { SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { UserError, type BotDeps, type Command } from "../command.js";
import { escapeText, replyInParts, truncate } from "../render.js";
import { articleReference } from "../../answer/format.js";

export const verifyCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("verify")
    .setDescription("Check whether a quote appears in the sources, verbatim or nearly")
    .addStringOption((o) => o.setName("quote").setDescription("The text to look for").setRequired(true).setMaxLength(2000)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const quote = interaction.options.getString("quote", true);
    if (quote.length > deps.config.MAX_QUESTION_CHARS * 4)
      throw new UserError("too_long", `Quotes to verify are limited to ${deps.config.MAX_QUESTION_CHARS * 4} characters.`);
    const check = deps.core.verifyQuote(quote);
    const shown = `“${escapeText(truncate(quote.trim(), 300))}”`;
    let blocks: string[];
    if (check.kind === "verbatim") {
      blocks = [
        `✅ **Found verbatim** in ${check.matches.length} place${check.matches.length === 1 ? "" : "s"}: ${shown}`,
        ...check.matches
          .slice(0, 10)
          .map(
            (m) =>
              `- ${articleReference({ title: m.title, id: m.articleId, publisher: "", published: m.published }, { escape: escapeText })} · \`${m.passageId}\` · characters ${m.start}–${m.end}${m.url ? ` · <${m.url}>` : ""}`,
          ),
      ];
    } else if (check.kind === "near") {
      blocks = [
        `🟡 **Not verbatim, but close** (similarity ${Math.round(check.similarity * 100)}%): ${shown}`,
        `Closest text, in ${articleReference({ title: check.title, id: check.articleId, publisher: "", published: check.published }, { escape: escapeText })} · \`${check.passageId}\`:\n> ${escapeText(check.text)}`,
        `Words not in the source: ${check.missing.length ? check.missing.map(escapeText).join(", ") : "none"}\nWords in the source, not in your text: ${check.extra.length ? check.extra.map(escapeText).join(", ") : "none"}`,
      ];
    } else {
      blocks = [`❌ **Not found** in the indexed articles: ${shown}`];
    }
    await replyInParts(interaction, blocks);
  },
};
