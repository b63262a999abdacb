import type { Answer } from "../answer/answer.js";
import { resolveFollowUp, type FollowUpOptions, type PreviousTurn } from "./followup.js";
import type { AnswerService } from "../service/answer-service.js";

/** An answer in a conversation, and what was searched for to get it. */
export interface ConversationAnswer {
  /** The answer, carrying the question as the user asked it (that is what is shown). */
  answer: Answer;
  /** The question with its references to earlier turns resolved (the question itself on a first turn). */
  query: string;
  /** Whether earlier turns shaped the query. */
  followUp: boolean;
  /** Words brought in from earlier turns. */
  carried: string[];
}

/** What `askInConversation` uses of the earlier turns, each part switchable for the evaluation. Default all on. */
export interface ConversationOptions extends FollowUpOptions {
  /** Search the resolved query rather than the question as asked. */
  rewrite?: boolean;
  /** Favour the passages earlier turns cited. */
  prefer?: boolean;
}

/**
 * Answer a question with the conversation's earlier turns (oldest first) as context: references are
 * resolved against them, retrieval favours the passages they cited while searching everything, and
 * an LLM answerer sees them in its prompt. The same function serves Discord threads and the evaluation.
 */
export async function askInConversation(
  core: AnswerService,
  question: string,
  turns: PreviousTurn[],
  opts: ConversationOptions = {},
): Promise<ConversationAnswer> {
  if (turns.length === 0) return { answer: await core.ask(question), query: question, followUp: false, carried: [] };
  const r = resolveFollowUp(question, turns, opts);
  const query = opts.rewrite === false ? question : r.query;
  const answer = await core.ask(query, {
    ...(opts.prefer === false ? {} : { prefer: r.prefer }),
    history: turns.map((t) => ({ question: t.question, answer: answerText(t) })),
    asked: question,
  });
  return { answer: { ...answer, question }, query, followUp: r.followUp, carried: r.carried };
}

function answerText(t: PreviousTurn): string {
  return t.answer ?? t.citations.map((c) => `${c.source}: ${c.quote}`).join("\n");
}

/** An answer as a turn for the next question. */
export function asTurn(question: string, result: Pick<ConversationAnswer, "answer" | "query">): PreviousTurn & { answer: string } {
  const { answer } = result;
  return {
    question,
    query: result.query,
    answered: answer.answered,
    answer: answer.answer,
    citations: answer.citations.map((c) => ({ passageId: c.passageId, articleId: c.articleId, source: c.source, quote: c.quote })),
  };
}
