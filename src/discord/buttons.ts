import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags } from "discord.js";
import type { Answer } from "../answer/answer.js";
import { NO_MENTIONS, UserError, type BotDeps, type ButtonHandler } from "./command.js";
import type { StoredAnswer } from "../state/feedback.js";
import { sourceButton } from "./commands/source.js";
import { sourcesPageButton } from "./commands/sources.js";
import { escapeText, replyInParts, truncate } from "./render.js";
import { articleReference } from "../answer/format.js";

/** The row under an answer: Sources, 👍, 👎, carrying the stored answer's id. */
export function answerButtons(answerId: string, answer: Answer): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`sources:${answerId}`)
      .setLabel("Sources")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(answer.citations.length === 0 && answer.related.length === 0),
    new ButtonBuilder().setCustomId(`vote:${answerId}:up`).setEmoji("👍").setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(`vote:${answerId}:down`).setEmoji("👎").setStyle(ButtonStyle.Secondary),
  );
}

/** The stored answer a button is about; one pressed within moments of the reply may wait for its record to be written. */
async function findAnswer(deps: BotDeps, answerId: string): Promise<StoredAnswer | undefined> {
  const found = await deps.feedback.answer(answerId);
  if (found) return found;
  await deps.writes.flush();
  return deps.feedback.answer(answerId);
}

/** "Sources": the full passages behind an answer, with their ids, for the person who pressed it. */
export const sourcesButton: ButtonHandler = {
  prefix: "sources",
  async execute(interaction, [answerId = ""], deps) {
    const stored = await findAnswer(deps, answerId);
    if (!stored) throw new UserError("expired", "I no longer have the sources of that answer; please ask again.");
    const blocks = stored.passageIds
      .filter((id, i, all) => all.indexOf(id) === i)
      .map((id) => {
        const found = deps.core.getPassage(id);
        if (!found) return `\`${id}\` — no longer in the index (the article was changed or removed).`;
        const { passage, article } = found;
        return `**\`${passage.id}\`** · ${articleReference(article, { escape: escapeText })}${article.url ? ` · <${article.url}>` : ""}\n> ${escapeText(truncate(passage.text, 1700))}`;
      });
    await replyInParts(interaction, blocks.length ? blocks : ["This answer quoted no passages."], { ephemeral: true });
  },
};

/** 👍 / 👎: stored with the question, answer, passage ids and user. */
export const voteButton: ButtonHandler = {
  prefix: "vote",
  async execute(interaction, [answerId = "", vote = ""], deps) {
    if (vote !== "up" && vote !== "down") throw new UserError("expired", "That button is not one I know.");
    if (!(await findAnswer(deps, answerId))) throw new UserError("expired", "I no longer have that answer, so I couldn't record your feedback.");
    await interaction.reply({
      content: vote === "up" ? "Thanks, noted 👍" : "Thanks, noted 👎 — it helps us improve.",
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    // Recorded after the thanks: a store that is slow or failing costs the vote, never the reply.
    const at = new Date();
    deps.writes.add("a vote", async () => {
      await deps.feedback.vote(answerId, interaction.user.id, vote, at);
      deps.log.info({ answerId, vote, user: interaction.user.id }, "discord: feedback");
    });
  },
};

export const buttons: ButtonHandler[] = [sourcesButton, voteButton, sourceButton, sourcesPageButton];
