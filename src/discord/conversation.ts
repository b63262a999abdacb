import type { Answer } from "../answer/answer.js";
import { askInConversation, asTurn, type ConversationAnswer } from "../conversation/ask.js";
import type { Turn } from "../state/history.js";
import type { BotDeps } from "./command.js";

export type { ConversationAnswer } from "../conversation/ask.js";

/** Answer a question; in a thread the bot opened, as a follow-up of the thread's kept turns. */
export async function answerInThread(deps: BotDeps, question: string, threadId: string | undefined): Promise<ConversationAnswer> {
  const turns = threadId ? await deps.history.turns(threadId) : [];
  const result = await askInConversation(deps.core, question, turns);
  if (turns.length) deps.log.debug({ thread: threadId, followUp: result.followUp, carried: result.carried }, "discord: follow-up resolved");
  return result;
}

/**
 * The answer as feedback keeps it: with the resolved query as its question, which reads on its own
 * in `/gaps` ("When did the talks take place? Kars–Gyumri railway" rather than "and when?").
 */
export function feedbackRecord(result: ConversationAnswer): Answer {
  return { ...result.answer, question: result.query };
}

/** The turn to keep for an answer. */
export function turnOf(question: string, result: ConversationAnswer): Omit<Turn, "at"> {
  return asTurn(question, result);
}
