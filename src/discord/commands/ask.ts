import { ChannelType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { answerQuestion, threadName } from "../answering.js";
import { NO_MENTIONS, type BotDeps, type Command } from "../command.js";
import { printable } from "../../scrub.js";
import type { GuildSettings } from "../../state/settings.js";

export const askCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question about the news articles; get quoted, attributed citations")
    .addStringOption((o) => o.setName("question").setDescription("Your question").setRequired(true).setMaxLength(4000)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const question = printable(interaction.options.getString("question", true));
    const channel = interaction.channel;
    const thread = channel?.isThread() ? channel : undefined;
    const ephemeral = (settings: GuildSettings) => settings.visibility === "ephemeral";
    await answerQuestion(deps, question, {
      name: "/ask",
      logged: { interaction: interaction.id },
      place: { userId: interaction.user.id, guildId: interaction.guildId, channelId: thread ? thread.parentId : interaction.channelId },
      // Within Discord's 3-second window: the user sees "thinking…" until the answer is edited in.
      acknowledge: async (settings) => void (await interaction.deferReply(ephemeral(settings) ? { flags: MessageFlags.Ephemeral } : {})),
      // /ask inside a thread the bot opened continues that conversation.
      conversation: async () => (thread && (await deps.history.isBotThread(thread.id)) ? thread.id : undefined),
      async reply(first, { question, settings, conversation }) {
        const reply = await interaction.editReply({ ...first, allowedMentions: NO_MENTIONS });
        const opensThread = !conversation && settings.askThreads && !ephemeral(settings) && interaction.inGuild() && channel?.type === ChannelType.GuildText;
        if (opensThread) {
          const opened = await reply.startThread({ name: threadName(question) });
          return { first: reply.id, send: async (content) => (await opened.send({ content, allowedMentions: NO_MENTIONS })).id, thread: opened.id };
        }
        const flags = ephemeral(settings) ? { flags: MessageFlags.Ephemeral as const } : {};
        return {
          first: reply.id,
          send: async (content) => (await interaction.followUp({ content, allowedMentions: NO_MENTIONS, ...flags })).id,
          thread: conversation,
        };
      },
    });
  },
};
