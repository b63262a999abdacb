import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { Answer } from "../answer/answer.js";
import type { AnswerContext, Answerer } from "../answer/answerer.js";
import { citationLine } from "../answer/format.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import { createChatModel } from "./chat-model.js";
import { fillUserPrompt, loadPrompts } from "./prompts.js";
import { parseLlmAnswer } from "./schema.js";
import { verifyLlmAnswer } from "./verify.js";

/**
 * Fluent answers from a chat model, with every quote verified against the corpus before it is shown.
 * A timeout, an error, malformed output or nothing verifiable falls back to the extractive answer
 * with a short note; it never hangs longer than LLM_TIMEOUT_MS.
 */
export function createLlmAnswerer(config: Config, deps: { extractive: Answerer; log: Logger; model?: BaseChatModel }): Answerer {
  const prompts = loadPrompts();
  let model: Promise<BaseChatModel> | undefined = deps.model ? Promise.resolve(deps.model) : undefined;
  const fallback = async (ctx: AnswerContext, note: string): Promise<Omit<Answer, "timings">> => {
    const answer = await deps.extractive.answer(ctx);
    return { ...answer, note, verification: { kept: 0, repaired: 0, dropped: 0, notes: [note] } };
  };

  return {
    name: `llm:${config.LLM_PROVIDER}:${config.LLM_MODEL}`,
    async answer(ctx: AnswerContext): Promise<Omit<Answer, "timings">> {
      if (ctx.passages.length === 0) return deps.extractive.answer(ctx);
      const t0 = performance.now();
      let text: string;
      try {
        model ??= createChatModel(config);
        const chat = await model;
        const reply = await chat.invoke([new SystemMessage(prompts.system), new HumanMessage(fillUserPrompt(prompts.user, ctx.question, ctx.passages))], {
          signal: AbortSignal.timeout(config.LLM_TIMEOUT_MS),
        });
        text = typeof reply.content === "string" ? reply.content : reply.content.map((c) => ("text" in c ? c.text : "")).join("");
      } catch (err) {
        const timedOut = (err as Error).name === "TimeoutError" || (err as Error).name === "AbortError" || /timed? ?out|abort/i.test((err as Error).message);
        deps.log.warn({ err, ms: Math.round(performance.now() - t0) }, "llm: request failed; answering extractively");
        return fallback(ctx, timedOut ? `The language model did not answer within ${config.LLM_TIMEOUT_MS / 1000} s; showing the extractive answer.` : "The language model could not be reached; showing the extractive answer.");
      }
      const parsed = parseLlmAnswer(text);
      if (!parsed.ok) {
        deps.log.warn({ reason: parsed.reason }, "llm: unusable reply; answering extractively");
        return fallback(ctx, `The language model's reply was unusable (${parsed.reason}); showing the extractive answer.`);
      }
      const verified = verifyLlmAnswer(parsed.value, ctx);
      if (verified.citations.length === 0) {
        const answer = await fallback(ctx, "None of the language model's quotes could be verified in the articles; showing the extractive answer.");
        return { ...answer, verification: { ...verified.verification, notes: [...verified.verification.notes, answer.note!] } };
      }
      const lines = verified.citations.map((c) => citationLine(c, false));
      deps.log.info({ ...verified.verification, notes: undefined, ms: Math.round(performance.now() - t0) }, "llm: answer verified");
      return {
        question: ctx.question,
        answered: true,
        answer: `${verified.answer}\n\n${lines.join("\n")}`,
        prose: verified.answer,
        citations: verified.citations,
        related: [],
        confidence: 1,
        verification: verified.verification,
        ...(verified.verification.repaired + verified.verification.dropped > 0 ? { note: `${verified.verification.repaired} quote(s) repaired and ${verified.verification.dropped} dropped by verification.` } : {}),
      };
    },
  };
}
