import type { Client, Message } from "discord.js";
import { answerQuestion, threadName } from "./answering.js";
import { NO_MENTIONS, UserError, type BotDeps } from "./command.js";
import { errorId } from "./interactions.js";
import { printable } from "../scrub.js";

/**
 * Questions asked by mentioning the bot (needs the Message Content intent, DISCORD_MENTIONS=true).
 * The reply goes in a new thread when DISCORD_MENTION_THREADS is on, inline otherwise. In a thread the
 * bot opened, a mention or a reply to one of its answers is a follow-up, answered with the thread's
 * earlier turns as context. Every other message is ignored unread.
 */
export function createMentionHandler(client: Client, deps: BotDeps) {
  return async (message: Message): Promise<void> => {
    const me = client.user;
    if (!me || message.author.bot) return;
    const mentioned = message.mentions.users.has(me.id);
    const repliedTo = message.reference?.messageId;
    // Neither a mention nor a reply: not addressed to the bot, so not even the store is asked about it.
    if (!mentioned && repliedTo === undefined) return;
    const thread = message.channel.isThread() ? message.channel : undefined;
    const conversation = thread && (await deps.history.isBotThread(thread.id)) ? thread.id : undefined;
    const repliesToBot =
      conversation !== undefined &&
      repliedTo !== undefined &&
      (message.mentions.repliedUser?.id === me.id || (await deps.history.isBotMessage(conversation, repliedTo)));
    if (!mentioned && !repliesToBot) return;
    const question = printable(message.content)
      .replace(new RegExp(`<@!?${me.id}>`, "g"), "")
      .trim();
    try {
      if (!question) {
        await message.reply({
          content: "Ask me a question about the news articles, e.g. *When could the Armenia–Turkey border reopen?*",
          allowedMentions: NO_MENTIONS,
        });
        return;
      }
      await answerQuestion(deps, question, {
        name: "a mention",
        logged: { message: message.id },
        place: { userId: message.author.id, guildId: message.guildId, channelId: thread ? thread.parentId : message.channelId },
        acknowledge: async () => undefined,
        conversation: async () => conversation,
        async reply(first, asked) {
          if (conversation) {
            const reply = await message.reply({ ...first, allowedMentions: NO_MENTIONS });
            return {
              first: reply.id,
              send: async (content) => (thread?.isSendable() ? (await thread.send({ content, allowedMentions: NO_MENTIONS })).id : undefined),
              thread: conversation,
            };
          }
          if (deps.config.DISCORD_MENTION_THREADS && message.inGuild() && !thread) {
            const opened = await message.startThread({ name: threadName(asked.question) });
            const sent = await opened.send({ ...first, allowedMentions: NO_MENTIONS });
            return { first: sent.id, send: async (content) => (await opened.send({ content, allowedMentions: NO_MENTIONS })).id, thread: opened.id };
          }
          const reply = await message.reply({ ...first, allowedMentions: NO_MENTIONS });
          const { channel } = message;
          return {
            first: reply.id,
            send: async (content) => (channel.isSendable() ? (await channel.send({ content, allowedMentions: NO_MENTIONS })).id : undefined),
          };
        },
      });
    } catch (err) {
      if (err instanceof UserError) {
        await message.reply({ content: err.message, allowedMentions: NO_MENTIONS }).catch(() => undefined);
        return;
      }
      const id = errorId();
      deps.log.error({ err, errorId: id, message: message.id }, "discord: mention failed");
      await message.reply({ content: `Something went wrong on my side (error id \`${id}\`).`, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    }
  };
}
