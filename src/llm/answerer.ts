import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage, type AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { Answer } from "../answer/answer.js";
import type { AnswerContext, Answerer } from "../answer/answerer.js";
import { citationLine } from "../answer/format.js";
import { secretValues, type Config } from "../config.js";
import { createScrubber, type Scrubber } from "../scrub.js";
import type { Logger } from "../log.js";
import { checkLlmConfig, createChatModel } from "./chat-model.js";
import { describeLlmFailure, LlmDeadlineError } from "./failure.js";
import { fillUserPrompt, loadPrompts } from "./prompts.js";
import { parseLlmAnswer } from "./schema.js";
import { historyBlock } from "../conversation/prompt.js";
import type { Bridge } from "./support.js";
import { verifyLlmAnswer, type Verification } from "./verify.js";

export interface LlmAnswererDeps {
  /** Answers when the model cannot: timeout, error, unusable reply, nothing verifiable. Also gives `confidence`. */
  extractive: Answerer;
  log: Logger;
  /** The chat model; default built from config (ChatOllama or ChatOpenAI) on first use. */
  model?: BaseChatModel;
  /** Paraphrases allowed when checking the prose against its quotes (see `checkSentence`). Default: stems only. */
  bridge?: Bridge | undefined;
}

type Result = Omit<Answer, "timings">;

/**
 * Fluent answers from a chat model, with every quote verified against the retrieved passages before it
 * is shown (see `verifyLlmAnswer`). The model is asked for JSON (prompt plus the provider's JSON mode
 * where it is universal), which is parsed with zod: this works with any OpenAI-compatible server,
 * including those without tool calling or `json_schema` support. A timeout (LLM_TIMEOUT_MS, by abort
 * signal and a deadline of our own), an HTTP error, malformed output or nothing verifiable falls back
 * to the extractive answer with a short note. Throws `llm: …` at creation when the configuration
 * or the prompt files are unusable.
 */
export function createLlmAnswerer(config: Config, deps: LlmAnswererDeps): Answerer {
  if (!deps.model) checkLlmConfig(config);
  const prompts = loadPrompts();
  const { log } = deps;
  // Built now, so the first question does not pay for loading the provider package; built again if that failed.
  let model: Promise<BaseChatModel> | undefined;
  const build = () => {
    const p = deps.model ? Promise.resolve(deps.model) : createChatModel(config);
    p.catch(() => {
      if (model === p) model = undefined;
    });
    return p;
  };
  model = build();

  const scrub = createScrubber(secretValues(config));

  return {
    name: `llm:${config.LLM_PROVIDER}:${config.LLM_MODEL}`,
    answer: async (ctx) => scrubNotes(await answer(ctx), scrub),
  };

  async function answer(ctx: AnswerContext): Promise<Result> {
    if (ctx.passages.length === 0) return deps.extractive.answer(ctx);
    // The extractive answer is cheap and local: start it now, so a fallback costs nothing more and an
    // LLM answer carries its evidence score.
    const extractive = deps.extractive.answer(ctx);
    extractive.catch(() => undefined);
    const fallback = async (reason: string, verification?: Verification): Promise<Result> => {
      const answer = await extractive;
      const note = answer.answered ? `${reason}; showing the extractive answer.` : `${reason}.`;
      return { ...answer, note, verification: verification ? { ...verification, notes: [...verification.notes, note] } : { kept: 0, repaired: 0, dropped: 0, notes: [note] } };
    };

    const t0 = performance.now();
    const elapsed = () => Math.round(performance.now() - t0);
    let text: string;
    try {
      model ??= build();
      const chat = await model;
      // A resolved follow-up is for search; with the earlier turns in the prompt, the model answers the question as asked.
      const question = ctx.history?.length ? (ctx.asked ?? ctx.question) : ctx.question;
      const messages = [new SystemMessage(prompts.system), new HumanMessage(historyBlock(ctx.history, config.HISTORY_MAX_TOKENS) + fillUserPrompt(prompts.user, question, ctx.passages))];
      // The deadline covers the request only, not loading the client above.
      text = messageText(await invokeWithDeadline(chat, messages, config.LLM_TIMEOUT_MS));
    } catch (err) {
      const failure = describeLlmFailure(err, config);
      log.warn({ kind: failure.kind, ms: elapsed(), err }, failure.error.message);
      return fallback(failure.reason);
    }

    const parsed = parseLlmAnswer(text);
    if (!parsed.ok) {
      log.warn({ ms: elapsed() }, `llm: unusable reply: ${parsed.reason}`);
      log.debug({ reply: text.slice(0, 200) }, "llm: the unusable reply");
      return fallback(`The language model's reply was unusable (${parsed.reason})`);
    }
    const verified = verifyLlmAnswer(parsed.value, ctx, deps.bridge ? { bridge: deps.bridge } : {});
    const { kept, repaired, dropped } = verified.verification;
    log.info({ kept, repaired, dropped, removedSentences: verified.removedSentences, prompt: prompts.version, ms: elapsed() }, "llm: answer verified");
    if (verified.citations.length === 0) {
      const abstained = parsed.value.claims.length === 0 && parsed.value.rejected.count === 0;
      return fallback(abstained ? "The language model found no answer in the passages" : "None of the language model's quotes could be verified in the articles", verified.verification);
    }
    // Prose that said something, none of it supported: the quotes alone would not answer what was asked.
    if (!verified.answer && verified.removedSentences > 0) {
      return fallback("None of the language model's sentences were supported by the quotes it cited", verified.verification);
    }
    const base = await extractive;
    const lines = verified.citations.map((c) => citationLine(c, false));
    return {
      question: ctx.question,
      answered: true,
      answer: verified.answer ? `${verified.answer}\n\n${lines.join("\n")}` : lines.join("\n"),
      prose: verified.answer,
      citations: verified.citations,
      related: [],
      confidence: base.confidence,
      verification: verified.verification,
      ...(repaired + dropped + verified.unsupportedSentences > 0 ? { note: checkedNote(verified) } : {}),
    };
  }
}

/** `Quotes checked against the articles: 1 exact, 0 repaired, 0 dropped; 1 sentence they do not support removed.` */
function checkedNote(v: { verification: Verification; unsupportedSentences: number }): string {
  const { kept, repaired, dropped } = v.verification;
  const n = v.unsupportedSentences;
  const removed = n > 0 ? `; ${n} ${n === 1 ? "sentence" : "sentences"} they do not support removed` : "";
  return `Quotes checked against the articles: ${kept} exact, ${repaired} repaired, ${dropped} dropped${removed}.`;
}

/** Notes can carry what a server or the model wrote (an echoed header, say): they are scrubbed like logs. */
function scrubNotes(r: Result, scrub: Scrubber): Result {
  return {
    ...r,
    ...(r.note ? { note: scrub(r.note) } : {}),
    ...(r.verification ? { verification: { ...r.verification, notes: r.verification.notes.map(scrub) } } : {}),
  };
}

/**
 * Invoke with an abort signal that fires after `ms`, and stop waiting then even if a client ignores
 * the signal: a slow model never holds an answer longer than LLM_TIMEOUT_MS.
 */
async function invokeWithDeadline(model: BaseChatModel, messages: BaseMessage[], ms: number): Promise<AIMessage> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new LlmDeadlineError(ms);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return (await Promise.race([model.invoke(messages, { signal: controller.signal }), deadline])) as AIMessage;
  } finally {
    clearTimeout(timer);
  }
}

function messageText(reply: AIMessage): string {
  if (typeof reply.content === "string") return reply.content;
  return reply.content.map((c) => (c.type === "text" && "text" in c && typeof c.text === "string" ? c.text : "")).join("");
}
