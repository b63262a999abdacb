import type { Client, Message } from "discord.js";
import { answerButtons } from "./buttons.js";
import { NO_MENTIONS, UserError, type BotDeps } from "./command.js";
import { answerInThread, feedbackRecord, turnOf } from "./conversation.js";
import { admitQuestion } from "./gate.js";
import { errorId } from "./interactions.js";
import { printable } from "../scrub.js";
import { renderAnswer, truncate } from "./render.js";
import { newAnswerId } from "../state/feedback.js";

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
    const repliesToBot = conversation !== undefined && repliedTo !== undefined && (message.mentions.repliedUser?.id === me.id || (await deps.history.isBotMessage(conversation, repliedTo)));
    if (!mentioned && !repliesToBot) return;
    const question = printable(message.content).replace(new RegExp(`<@!?${me.id}>`, "g"), "").trim();
    try {
      if (!question) {
        await message.reply({ content: "Ask me a question about the news articles, e.g. *When could the Armenia–Turkey border reopen?*", allowedMentions: NO_MENTIONS });
        return;
      }
      if (question.length > deps.config.MAX_QUESTION_CHARS) {
        await message.reply({ content: `Questions are limited to ${deps.config.MAX_QUESTION_CHARS} characters; yours has ${question.length}.`, allowedMentions: NO_MENTIONS });
        return;
      }
      try {
        await admitQuestion(deps, { userId: message.author.id, guildId: message.guildId, channelId: thread ? thread.parentId : message.channelId });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        await message.reply({ content: err.message, allowedMentions: NO_MENTIONS });
        return;
      }
      const result = await answerInThread(deps, question, conversation);
      const { answer } = result;
      const answerId = newAnswerId();
      const asked = new Date();
      const [first = "", ...rest] = renderAnswer(answer);
      const components = [answerButtons(answerId, answer)];
      if (conversation) {
        const sent = [(await message.reply({ content: first, components, allowedMentions: NO_MENTIONS })).id];
        for (const content of rest) if (thread?.isSendable()) sent.push((await thread.send({ content, allowedMentions: NO_MENTIONS })).id);
        deps.writes.add("the thread's turn", () => deps.history.addTurn(conversation, message.guildId, turnOf(question, result), sent));
      } else if (deps.config.DISCORD_MENTION_THREADS && message.inGuild() && !thread) {
        const opened = await message.startThread({ name: truncate(question.replace(/[\r\n]+/g, " "), 90) || "Answer" });
        const sent: string[] = [];
        for (const [i, content] of [first, ...rest].entries()) sent.push((await opened.send({ content, allowedMentions: NO_MENTIONS, ...(i === 0 ? { components } : {}) })).id);
        deps.writes.add("the thread's turn", () => deps.history.addTurn(opened.id, message.guildId, turnOf(question, result), sent));
      } else {
        await message.reply({ content: first, components, allowedMentions: NO_MENTIONS });
        for (const content of rest) if (message.channel.isSendable()) await message.channel.send({ content, allowedMentions: NO_MENTIONS });
      }
      deps.writes.add("the answer's feedback record", () => deps.feedback.recordAnswer(feedbackRecord(result), message.author.id, message.guildId, asked, answerId));
      deps.log.info({ message: message.id, answered: answer.answered, followUp: result.followUp }, "discord: answered a mention");
    } catch (err) {
      const id = errorId();
      deps.log.error({ err, errorId: id, message: message.id }, "discord: mention failed");
      await message.reply({ content: `Something went wrong on my side (error id \`${id}\`).`, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    }
  };
}
