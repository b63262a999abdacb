import type { Answer } from "../answer/answer.js";
import { resolveFollowUp } from "../conversation/followup.js";
import type { Turn } from "../state/history.js";
import type { BotDeps } from "./command.js";

/** An answer, and what was searched for to get it. */
export interface ConversationAnswer {
  /** The answer, carrying the question as the user asked it (that is what is shown). */
  answer: Answer;
  /** The question with its references to earlier turns resolved (the question itself outside threads). */
  query: string;
  /** Whether earlier turns shaped the query. */
  followUp: boolean;
}

/**
 * Answer a question; in a thread the bot opened, as a follow-up: references are resolved against the
 * thread's earlier turns, retrieval favours the passages they cited, and an LLM answerer sees them.
 */
export async function answerInThread(deps: BotDeps, question: string, threadId: string | undefined): Promise<ConversationAnswer> {
  const turns = threadId ? deps.history.turns(threadId) : [];
  if (turns.length === 0) return { answer: await deps.core.ask(question), query: question, followUp: false };
  const r = resolveFollowUp(question, turns);
  const answer = await deps.core.ask(r.query, { prefer: r.prefer, history: turns.map((t) => ({ question: t.query, answer: t.answer })) });
  deps.log.debug({ thread: threadId, followUp: r.followUp, carried: r.carried }, "discord: follow-up resolved");
  return { answer: { ...answer, question }, query: r.query, followUp: r.followUp };
}

/**
 * The answer as feedback keeps it: with the resolved query as its question, which reads on its own
 * in `/gaps` ("when did the talks take place? Kars–Gyumri railway" rather than "and when?").
 */
export function feedbackRecord(result: ConversationAnswer): Answer {
  return { ...result.answer, question: result.query };
}

/** The turn to keep for an answer. */
export function turnOf(question: string, result: ConversationAnswer): Omit<Turn, "at"> {
  const { answer } = result;
  return {
    question,
    query: result.query,
    answered: answer.answered,
    answer: answer.answer,
    citations: answer.citations.map((c) => ({ passageId: c.passageId, articleId: c.articleId, source: c.source, quote: c.quote })),
  };
}
