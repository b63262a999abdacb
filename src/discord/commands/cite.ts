import { SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from "discord.js";
import { withDeepLink } from "../../answer/fragment.js";
import { UserError, type BotDeps, type Command } from "../command.js";
import { codeSpan, escapeText, referenceText, replyInParts, truncate } from "../render.js";
import { articleLabel } from "../../answer/format.js";

export const citeCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("cite")
    .setDescription("Show a cited passage in context, with its article's title, publisher, date and link")
    .addStringOption((o) => o.setName("id").setDescription("Passage id, e.g. kars-gyumri-railway-talks#p3").setRequired(true).setAutocomplete(true)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const id = interaction.options.getString("id", true).trim();
    const found = deps.core.getPassage(id);
    if (!found) throw new UserError("not_found", `No passage with id ${codeSpan(id)} was found. Use the autocomplete, or the ids shown under answers.`);
    const { passage, article } = found;
    const sentence = passage.sentences.find((s) => s.id === id);
    const text = sentence
      ? `${escapeText(article.body.slice(passage.start, sentence.start))}**${escapeText(sentence.text)}**${escapeText(article.body.slice(sentence.end, passage.end))}`
      : escapeText(passage.text);
    const before = deps.core.getPassage(`${article.id}#p${passage.n - 1}`);
    const after = deps.core.getPassage(`${article.id}#p${passage.n + 1}`);
    const span = sentence ?? passage;
    const { link } = withDeepLink({ url: article.url, start: span.start, end: span.end }, article.body);
    const ref = referenceText({
      n: 1,
      title: article.title,
      articleId: article.id,
      publisher: article.publisher,
      published: article.published,
      url: article.url,
      passageId: passage.id,
      ...(link ? { link } : {}),
    }).replace(/^\[1\] /, "");
    const blocks = [
      `**${escapeText(articleLabel(article.title, article.id))}**\n-# ${ref} · characters ${passage.start}–${passage.end}`,
      ...(before ? [`-# …${escapeText(truncate(before.passage.text, 300))}`] : []),
      text
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n"),
      ...(after ? [`-# ${escapeText(truncate(after.passage.text, 300))}…`] : []),
    ];
    await replyInParts(interaction, blocks);
  },

  async autocomplete(interaction: AutocompleteInteraction, deps: BotDeps) {
    const focused = interaction.options.getFocused();
    // Discord caps a choice's value at 100 characters; a cut id would not be found, so longer ones are left out.
    const ids = deps.core
      .suggestPassageIds(focused, 50)
      .filter((id) => id.length <= 100)
      .slice(0, 25);
    await interaction.respond(ids.map((id) => ({ name: id, value: id })));
  },
};
