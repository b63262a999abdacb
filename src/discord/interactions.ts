import { randomBytes } from "node:crypto";
import { MessageFlags, type Interaction, type RepliableInteraction } from "discord.js";
import { NO_MENTIONS, UserError, type BotDeps, type ButtonHandler, type Command } from "./command.js";
import { fitMessage } from "./limits.js";

/** A short id printed to the user and logged with the error, to find one in the other. */
export const errorId = () => randomBytes(4).toString("hex");

/**
 * The one place interactions are dispatched and failures handled: a user-facing error becomes a
 * polite ephemeral reply; anything else an ephemeral "something went wrong" with an error id that is
 * in the logs. The process keeps running either way.
 */
export function createInteractionHandler(commands: Command[], buttons: ButtonHandler[], deps: BotDeps) {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byPrefix = new Map(buttons.map((b) => [b.prefix, b]));

  return async (interaction: Interaction): Promise<void> => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new Error(`discord: unknown command /${interaction.commandName}`);
        await command.execute(interaction, deps);
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, deps);
      } else if (interaction.isButton()) {
        const [prefix = "", ...args] = interaction.customId.split(":");
        const handler = byPrefix.get(prefix);
        if (!handler) throw new UserError("expired", "That button is not one I know.");
        await handler.execute(interaction, args, deps);
      }
    } catch (err) {
      if (!interaction.isRepliable()) {
        deps.log.error({ err, interaction: interaction.id }, "discord: autocomplete failed");
        return;
      }
      if (err instanceof UserError) {
        deps.log.info({ interaction: interaction.id, user: interaction.user.id, reason: err.id }, `discord: ${err.message}`);
        await tell(interaction, err.message, deps);
        return;
      }
      const id = errorId();
      deps.log.error({ err, errorId: id, interaction: interaction.id, user: interaction.user.id }, "discord: handler failed");
      await tell(
        interaction,
        `Something went wrong on my side (error id \`${id}\`). Please try again; if it keeps happening, give this id to a moderator.`,
        deps,
      );
    }
  };
}

async function tell(interaction: RepliableInteraction, text: string, deps: BotDeps): Promise<void> {
  // A message can quote what the user or a page gave (a title, a URL): bound it, or Discord refuses the whole reply.
  const { content } = fitMessage({ content: text });
  try {
    if (interaction.deferred) {
      // The deferred reply is public ("thinking…", or progress): remove it, then tell only this user.
      await interaction
        .deleteReply()
        .catch((err: unknown) => deps.log.warn({ err, interaction: interaction.id }, "discord: could not delete the deferred reply"));
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    } else if (interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    else await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  } catch (err) {
    deps.log.warn({ err, interaction: interaction.id }, "discord: could not report an error to the user");
  }
}
