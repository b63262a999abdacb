import type { Client, Message } from "discord.js";
import { NO_MENTIONS, type BotDeps } from "./command.js";
import { errorId } from "./interactions.js";
import { printable } from "../scrub.js";
import { renderAnswer, truncate } from "./render.js";

/**
 * Questions asked by mentioning the bot (needs the Message Content intent, DISCORD_MENTIONS=true).
 * The reply goes in a new thread when DISCORD_MENTION_THREADS is on, inline otherwise.
 */
export function createMentionHandler(client: Client, deps: BotDeps) {
  return async (message: Message): Promise<void> => {
    const me = client.user;
    if (!me || message.author.bot || !message.mentions.users.has(me.id)) return;
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
      const limited = deps.limits.check(message.author.id, message.guildId);
      if (limited) {
        await message.reply({ content: limited, allowedMentions: NO_MENTIONS });
        return;
      }
      const answer = await deps.core.ask(question);
      deps.feedback.recordAnswer(answer, message.author.id);
      const messages = renderAnswer(answer);
      if (deps.config.DISCORD_MENTION_THREADS && message.inGuild()) {
        const thread = await message.startThread({ name: truncate(question.replace(/[\r\n]+/g, " "), 90) || "Answer" });
        for (const content of messages) await thread.send({ content, allowedMentions: NO_MENTIONS });
      } else {
        const [first = "", ...rest] = messages;
        await message.reply({ content: first, allowedMentions: NO_MENTIONS });
        for (const content of rest) if (message.channel.isSendable()) await message.channel.send({ content, allowedMentions: NO_MENTIONS });
      }
    } catch (err) {
      const id = errorId();
      deps.log.error({ err, errorId: id, message: message.id }, "discord: mention failed");
      await message.reply({ content: `Something went wrong on my side (error id \`${id}\`).`, allowedMentions: NO_MENTIONS }).catch(() => undefined);
    }
  };
}
