import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { Answer } from "../answer/answer.js";
import type { AnswerContext, Answerer } from "../answer/answerer.js";
import { ABSTAIN_TEXT, related } from "../answer/extractive.js";
import { citationLine, truncate } from "../answer/format.js";
import { secretValues, type Config } from "../config.js";
import { createScrubber, type Scrubber } from "../scrub.js";
import type { Logger } from "../log.js";
import { addressesQuestion, type Answerability } from "./answerability.js";
import { checkLlmConfig, createChatModel, invokeForReply, llmEndpoint, rejectsStructuredOutput, replyModeOf, type ReplyMode } from "./chat-model.js";
import { describeLlmFailure, LlmDeadlineError } from "./failure.js";
import { fillUserPrompt, historyBlock, loadPrompts, type PromptTemplates } from "./prompts.js";
import { parseLlmAnswer, type LlmVerdict } from "./schema.js";
import type { Bridge } from "./support.js";
import { verifyLlmAnswer, type StoredCorpus, type Verification, type VerifiedAnswer } from "./verify.js";

export interface LlmAnswererDeps {
  /** Answers when the model cannot: timeout, error, unusable reply, nothing verifiable. Also gives `confidence`. */
  extractive: Answerer;
  log: Logger;
  /** The index the passages come from: what the build stored of their articles (attributions, headings). */
  index: StoredCorpus;
  /** The chat model; default built from config (ChatOllama or ChatOpenAI) on first use. */
  model?: BaseChatModel;
  /** Paraphrases allowed when checking the prose against its quotes (see `checkSentence`). Default: stems only. */
  bridge?: Bridge | undefined;
}

type Result = Omit<Answer, "timings">;

/**
 * Fluent answers from a chat model, with every quote verified against the retrieved passages before it
 * is shown (see `verifyLlmAnswer`). The model first gives its verdict on whether the passages answer the
 * question, then the answer. The reply is asked for as structured output where the provider takes it
 * (a forced tool call on OpenAI-compatible servers; see `ReplyMode`) and as JSON in the text otherwise;
 * either way it is parsed with zod. A server that turns tools down is asked again in text, and from then
 * on only in text.
 *
 * The model decides answerability too: when it says the passages do not answer, or when the quotes that
 * survive verification do not address the question (`addressesQuestion`), the answer is declined with
 * the standard abstention, the reason as a note, and the related passages. A timeout (LLM_TIMEOUT_MS, by
 * abort signal and a deadline of our own), an HTTP error, malformed output or nothing verifiable falls
 * back to the extractive answer with a short note. Throws `llm: …` at creation when the configuration
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
  // Falls to `text` for good once the server turns the structured-output request down.
  let mode: ReplyMode = replyModeOf(config);

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

    const t0 = performance.now();
    const elapsed = () => Math.round(performance.now() - t0);
    // A resolved follow-up is for search; with the earlier turns in the prompt, the model answers the question as asked.
    const asked = (ctx.history?.length ? ctx.query.asked : undefined) ?? ctx.query;
    const question = asked.text;
    let text: string;
    try {
      text = await ask(ctx, question);
    } catch (err) {
      const failure = describeLlmFailure(err, config);
      log.warn({ kind: failure.kind, ms: elapsed(), err }, failure.error.message);
      return fallBack(extractive, failure.reason);
    }

    return answerFromReply(text, ctx, asked, extractive, { deps, prompts, elapsed });
  }

  /** The model's reply to the question with the retrieved passages (and the thread's earlier turns). */
  async function ask(ctx: AnswerContext, question: string): Promise<string> {
    model ??= build();
    const chat = await model;
    const messages = [
      new SystemMessage(prompts.system),
      new HumanMessage(historyBlock(ctx.history, config.HISTORY_MAX_TOKENS) + fillUserPrompt(prompts.user, question, ctx.passages)),
    ];
    // The deadline covers the requests only, not loading the client above; a second request in text shares it.
    return withDeadline(config.LLM_TIMEOUT_MS, async (signal) => {
      const asked = mode;
      try {
        return await invokeForReply(chat, messages, asked, signal);
      } catch (err) {
        if (asked !== "tools" || !rejectsStructuredOutput(err)) throw err;
        mode = "text";
        log.warn({ err }, `llm: ${llmEndpoint(config)} does not take tool calls; asking for JSON in the reply text from now on`);
        return invokeForReply(chat, messages, "text", signal);
      }
    });
  }
}

/** What becomes of the model's reply: the verified answer, a decline, or the extractive answer with a note. */
async function answerFromReply(
  text: string,
  ctx: AnswerContext,
  asked: AnswerContext["query"],
  extractive: Promise<Result>,
  env: { deps: LlmAnswererDeps; prompts: PromptTemplates; elapsed: () => number },
): Promise<Result> {
  const { deps, prompts, elapsed } = env;
  const { log } = deps;
  const fallback = (reason: string, verification?: Verification) => fallBack(extractive, reason, verification);
  const decline = (note: string, answerability: Answerability, verification?: Verification) => declined(ctx, extractive, note, answerability, verification);

  const parsed = parseLlmAnswer(text);
  if (!parsed.ok) {
    log.warn({ ms: elapsed() }, `llm: unusable reply: ${parsed.reason}`);
    log.debug({ reply: text.slice(0, 200) }, "llm: the unusable reply");
    return fallback(`The language model's reply was unusable (${parsed.reason})`);
  }
  const given = parsed.value.verdict;
  const verdict = given && { ...given, reason: truncate(given.reason.replace(/\s+/g, " "), MAX_REASON_CHARS) };
  if (verdict && !verdict.answerable) {
    // The reason is the model's words about the question: not logged, as answers are not.
    log.info({ prompt: prompts.version, ms: elapsed() }, "llm: the model found the passages do not answer");
    return decline(notAnsweredNote(verdict), { ...verdict, declined: "model" });
  }
  const verified = verifyLlmAnswer(parsed.value, ctx, { index: deps.index, ...(deps.bridge ? { bridge: deps.bridge } : {}) });
  const { kept, repaired, dropped } = verified.verification;
  log.info({ kept, repaired, dropped, removedSentences: verified.removedSentences, prompt: prompts.version, ms: elapsed() }, "llm: answer verified");
  if (verified.citations.length === 0) {
    const abstained = parsed.value.claims.length === 0 && parsed.value.rejected.count === 0;
    return fallback(
      abstained ? "The language model found no answer in the passages" : "None of the language model's quotes could be verified in the articles",
      verified.verification,
    );
  }
  // Real quotes about something else answer nothing: declined as the offline answerer would decline them.
  if (!addressesQuestion(asked === ctx.query ? [ctx.query] : [asked, ctx.query], verified.citations, ctx.passages)) {
    log.info({ kept, repaired, prompt: prompts.version }, "llm: the verified quotes do not address the question");
    return decline(OFF_TOPIC_NOTE, { ...(verdict ?? { answerable: true, reason: "" }), declined: "off-topic" }, verified.verification);
  }
  // Prose that said something, none of it supported: the quotes alone would not answer what was asked.
  if (!verified.answer && verified.removedSentences > 0) {
    return fallback("None of the language model's sentences were supported by the quotes it cited", verified.verification);
  }
  return answered(ctx, (await extractive).confidence, verified, verdict);
}

/** The extractive answer, with why the model's was not used as a note. */
async function fallBack(extractive: Promise<Result>, reason: string, verification?: Verification): Promise<Result> {
  const answer = await extractive;
  const note = answer.answered ? `${reason}; showing the extractive answer.` : `${reason}.`;
  return { ...answer, note, verification: withNote(note, verification) };
}

/** Declines as the offline answerer does (standard text, related passages, confidence 0), with the reason as a note. */
async function declined(
  ctx: AnswerContext,
  extractive: Promise<Result>,
  note: string,
  answerability: Answerability,
  verification?: Verification,
): Promise<Result> {
  const base = await extractive;
  return {
    question: ctx.query.text,
    answered: false,
    answer: ABSTAIN_TEXT,
    citations: [],
    related: base.related.length > 0 ? base.related : related(ctx),
    confidence: 0,
    note,
    answerability,
    verification: withNote(note, verification),
  };
}

/** The model's verified answer: its supported prose, then its quotes, with the extractive evidence score as confidence. */
function answered(ctx: AnswerContext, confidence: number, verified: VerifiedAnswer, verdict: LlmVerdict | undefined): Result {
  const { repaired, dropped } = verified.verification;
  const lines = verified.citations.map((c) => citationLine(c, false));
  return {
    question: ctx.query.text,
    answered: true,
    answer: verified.answer ? `${verified.answer}\n\n${lines.join("\n")}` : lines.join("\n"),
    prose: verified.answer,
    citations: verified.citations,
    related: [],
    confidence,
    verification: verified.verification,
    ...(verdict ? { answerability: verdict } : {}),
    ...(repaired + dropped + verified.unsupportedSentences > 0 ? { note: checkedNote(verified) } : {}),
  };
}

/** The note of a decline on an off-topic reply. */
export const OFF_TOPIC_NOTE = "The language model's quotes do not address the question (none shares a word or name with it).";

/** Most characters of the model's reason shown in a note: it is the model's free text, checked against nothing. */
const MAX_REASON_CHARS = 200;

/** What verification did, with a note added (a bare record when verification did not run). */
function withNote(note: string, v: Verification | undefined): Verification {
  return v ? { ...v, notes: [...v.notes, note] } : { kept: 0, repaired: 0, dropped: 0, notes: [note] };
}

/** The note of a decline on the model's verdict: its reason, when it gave one. */
function notAnsweredNote(v: LlmVerdict): string {
  const reason = v.reason.replace(/[.\s]+$/, "");
  return reason
    ? `The language model found that the passages do not answer the question: ${reason}.`
    : "The language model found that the passages do not answer the question.";
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
    ...(r.answerability ? { answerability: { ...r.answerability, reason: scrub(r.answerability.reason) } } : {}),
  };
}

/**
 * Run `work` with an abort signal that fires after `ms`, and stop waiting then even if a client ignores
 * the signal: a slow model never holds an answer longer than LLM_TIMEOUT_MS.
 */
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
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
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
