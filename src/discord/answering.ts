import type { ActionRowBuilder, ButtonBuilder } from "discord.js";
import type { GuildSettings } from "../state/settings.js";
import { newAnswerId } from "../state/feedback.js";
import { answerButtons } from "./buttons.js";
import { UserError, type BotDeps } from "./command.js";
import { answerInThread, feedbackRecord, turnOf } from "./conversation.js";
import { admitQuestion, type QuestionPlace } from "./gate.js";
import { renderAnswer, truncate } from "./render.js";

/** Where the rest of an answer goes once its first message is out. */
export interface AnswerOutlet {
  /** The first message's id. */
  first: string;
  /** Sends one more message of the answer; its id, or undefined when it could not be sent there. */
  send(content: string): Promise<string | undefined>;
  /** The bot thread the answer is in (the conversation it continues, or one just opened), where its turn is kept; none keeps no turn. */
  thread?: string;
}

/** What differs between `/ask` and a mention: who asked where, how the question is acknowledged and how the answer goes out. */
export interface AnswerSurface {
  /** `/ask` or `a mention`, for the log. */
  name: string;
  /** Logged with the answer: the interaction's or the message's id. */
  logged: Record<string, string>;
  place: QuestionPlace;
  /** Once the question is admitted, before it is answered (`/ask` defers its reply within Discord's 3 seconds). */
  acknowledge(settings: GuildSettings): Promise<void>;
  /** The bot thread whose conversation the question continues, if it was asked in one. */
  conversation(): Promise<string | undefined>;
  /** Sends the answer's first message (with its buttons); says where the rest go. */
  reply(
    first: { content: string; components: [ActionRowBuilder<ButtonBuilder>] },
    asked: { question: string; settings: GuildSettings; conversation: string | undefined },
  ): Promise<AnswerOutlet>;
}

/**
 * The one answer flow of `/ask` and mentions: the length limit, the server's channels and rate limits,
 * the answer (a follow-up in a bot thread), its messages with buttons, then its feedback record and
 * the thread's turn. A failure meant for the user is thrown as a UserError for the surface to show.
 */
export async function answerQuestion(deps: BotDeps, question: string, surface: AnswerSurface): Promise<void> {
  const length = question.trim().length;
  if (length > deps.config.MAX_QUESTION_CHARS) {
    throw new UserError("too_long", `Questions are limited to ${deps.config.MAX_QUESTION_CHARS} characters; yours has ${length}.`);
  }
  const settings = await admitQuestion(deps, surface.place);
  await surface.acknowledge(settings);
  const conversation = await surface.conversation();
  const result = await answerInThread(deps, question, conversation);
  const { answer } = result;
  // The reply goes out first; its record is written after (see WriteBehind), under the id its buttons carry.
  const answerId = newAnswerId();
  const [first = "", ...rest] = renderAnswer(answer);
  const outlet = await surface.reply({ content: first, components: [answerButtons(answerId, answer)] }, { question, settings, conversation });
  const asked = new Date();
  const { userId, guildId } = surface.place;
  deps.writes.add("the answer's feedback record", () => deps.feedback.recordAnswer(feedbackRecord(result), userId, guildId, asked, answerId));
  const sent = [outlet.first];
  for (const content of rest) {
    const id = await outlet.send(content);
    if (id !== undefined) sent.push(id);
  }
  const { thread } = outlet;
  if (thread) deps.writes.add("the thread's turn", () => deps.history.addTurn(thread, guildId, turnOf(question, result), sent));
  const opened = thread !== undefined && thread !== conversation;
  deps.log.info(
    { ...surface.logged, answered: answer.answered, citations: answer.citations.length, followUp: result.followUp, thread: opened, ms: answer.timings.totalMs },
    `discord: answered ${surface.name}`,
  );
}

/** The name of a thread opened for an answer: the question on one line, cut to 90 characters. */
export function threadName(question: string): string {
  return truncate(question.replace(/[\r\n]+/g, " "), 90) || "Answer";
}
