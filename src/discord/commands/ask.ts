import { ChannelType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import { answerButtons } from "../buttons.js";
import { NO_MENTIONS, UserError, type BotDeps, type Command } from "../command.js";
import { printable } from "../../scrub.js";
import { answerInThread, feedbackRecord, turnOf } from "../conversation.js";
import { admitQuestion } from "../gate.js";
import { renderAnswer, truncate } from "../render.js";
import { newAnswerId } from "../../state/feedback.js";

export const askCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question about the news articles; get quoted, attributed citations")
    .addStringOption((o) => o.setName("question").setDescription("Your question").setRequired(true).setMaxLength(4000)),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    const question = printable(interaction.options.getString("question", true));
    if (question.trim().length > deps.config.MAX_QUESTION_CHARS) {
      throw new UserError("too_long", `Questions are limited to ${deps.config.MAX_QUESTION_CHARS} characters; yours has ${question.trim().length}.`);
    }
    const channel = interaction.channel;
    const thread = channel?.isThread() ? channel : undefined;
    const settings = await admitQuestion(deps, { userId: interaction.user.id, guildId: interaction.guildId, channelId: thread ? thread.parentId : interaction.channelId });
    const ephemeral = settings.visibility === "ephemeral";
    // Within Discord's 3-second window: the user sees "thinking…" until the answer is edited in.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    // /ask inside a thread the bot opened continues that conversation.
    const conversation = thread && (await deps.history.isBotThread(thread.id)) ? thread.id : undefined;
    const result = await answerInThread(deps, question, conversation);
    const { answer } = result;
    // The reply goes out first; its record is written after (see WriteBehind), under the id its buttons carry.
    const answerId = newAnswerId();
    const [first = "", ...rest] = renderAnswer(answer);
    const reply = await interaction.editReply({ content: first, components: [answerButtons(answerId, answer)], allowedMentions: NO_MENTIONS });
    const asked = new Date();
    deps.writes.add("the answer's feedback record", () => deps.feedback.recordAnswer(feedbackRecord(result), interaction.user.id, interaction.guildId, asked, answerId));
    const opensThread = !conversation && settings.askThreads && !ephemeral && interaction.inGuild() && channel?.type === ChannelType.GuildText;
    if (opensThread) {
      const opened = await reply.startThread({ name: truncate(question.replace(/[\r\n]+/g, " "), 90) || "Answer" });
      const sent = [reply.id];
      for (const content of rest) sent.push((await opened.send({ content, allowedMentions: NO_MENTIONS })).id);
      deps.writes.add("the thread's turn", () => deps.history.addTurn(opened.id, interaction.guildId, turnOf(question, result), sent));
    } else {
      const sent = [reply.id];
      for (const content of rest) sent.push((await interaction.followUp({ content, allowedMentions: NO_MENTIONS, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) })).id);
      if (conversation) deps.writes.add("the thread's turn", () => deps.history.addTurn(conversation, interaction.guildId, turnOf(question, result), sent));
    }
    deps.log.info({ interaction: interaction.id, answered: answer.answered, citations: answer.citations.length, followUp: result.followUp, thread: opensThread, ms: answer.timings.totalMs }, "discord: answered /ask");
  },
};
