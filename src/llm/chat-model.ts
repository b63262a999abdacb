import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { splitUrlCredentials, type Config } from "../config.js";
import { AppError } from "../errors.js";
import { llmReplyShape } from "./schema.js";

/** Where each provider is reached when LLM_BASE_URL is empty. */
export const DEFAULT_BASE_URL = { ollama: "http://127.0.0.1:11434", openai: "https://api.openai.com/v1" } as const;

/** Context window asked of Ollama: its default (2,048 or 4,096 tokens, by version) silently cuts a dozen passages. */
const OLLAMA_NUM_CTX = 8192;

/** Sent as the API key to local OpenAI-compatible servers that need none (the client insists on one). */
const PLACEHOLDER_KEY = "not-needed";

/** The server the configured provider talks to (credentials in LLM_BASE_URL left out), for requests and messages. */
export function llmEndpoint(config: Pick<Config, "LLM_PROVIDER" | "LLM_BASE_URL">): string {
  if (config.LLM_BASE_URL) return splitUrlCredentials(config.LLM_BASE_URL).url;
  return config.LLM_PROVIDER === "ollama" ? DEFAULT_BASE_URL.ollama : DEFAULT_BASE_URL.openai;
}

/** `Authorization` for credentials written into LLM_BASE_URL (`http://user:pass@host/v1`); LLM_API_KEY wins when set. */
function urlAuthorization(config: Pick<Config, "LLM_BASE_URL" | "LLM_API_KEY">): Record<string, string> {
  const { authorization } = splitUrlCredentials(config.LLM_BASE_URL ?? "");
  return authorization && !config.LLM_API_KEY ? { Authorization: authorization } : {};
}

/** Throws `llm: …` when LLM answers are switched on but cannot be configured; called at start-up. */
export function checkLlmConfig(config: Pick<Config, "LLM_PROVIDER" | "LLM_MODEL">): void {
  if (config.LLM_PROVIDER === "none") throw new AppError("LLM", "llm: LLM_PROVIDER=none has no chat model");
  if (!config.LLM_MODEL.trim()) {
    const example = config.LLM_PROVIDER === "ollama" ? "llama3.1:8b" : "the model name your server serves";
    throw new AppError("LLM", `llm: LLM_MODEL is required when LLM_PROVIDER=${config.LLM_PROVIDER} (e.g. ${example})`);
  }
}

/**
 * The configured chat model: Ollama, or any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server,
 * LM Studio) through ChatOpenAI with a base URL. Temperature 0 and no retries: a slow or failing model
 * falls back to the extractive answer instead of being asked again. The provider packages load only
 * when used.
 */
export async function createChatModel(config: Config): Promise<BaseChatModel> {
  checkLlmConfig(config);
  const model = config.LLM_MODEL.trim();
  if (config.LLM_PROVIDER === "ollama") {
    const { ChatOllama } = await import("@langchain/ollama");
    // JSON mode ("format": "json") is in every Ollama release; the reply is still parsed and checked.
    return new ChatOllama({
      model,
      baseUrl: llmEndpoint(config),
      headers: urlAuthorization(config),
      format: "json",
      temperature: 0,
      numCtx: OLLAMA_NUM_CTX,
      maxRetries: 0,
    });
  }
  const { ChatOpenAI } = await import("@langchain/openai");
  // Reasoning models (o1…, gpt-5) reject any temperature but the default.
  const reasoning = /^o\d|^gpt-5(?!-chat)/.test(model);
  return new ChatOpenAI({
    model,
    apiKey: config.LLM_API_KEY || PLACEHOLDER_KEY,
    maxRetries: 0,
    timeout: config.LLM_TIMEOUT_MS,
    ...(reasoning ? {} : { temperature: 0 }),
    configuration: { baseURL: llmEndpoint(config), defaultHeaders: urlAuthorization(config) },
  });
}

/** The tool a model is made to call with its reply when the reply is asked for as structured output. */
export const REPLY_TOOL = "answer_with_quotes";

/**
 * How the reply's shape is asked for.
 * - `tools`: LangChain's `withStructuredOutput` by function calling. The request carries the reply schema
 *   ({@link llmReplyShape}) as a tool the model is made to call (`tools` plus a named `tool_choice`), which
 *   OpenAI and the OpenAI-compatible servers with tool support (vLLM, llama.cpp, LM Studio) honour. A
 *   server that ignores the tool still answers in text, which is read as in `text` mode.
 * - `text`: JSON in the message text, asked for by the prompt (and by Ollama's JSON mode), parsed by us.
 * Function calling rather than `response_format: json_schema`: with a zod schema ChatOpenAI sends the
 * latter strict and parses the reply inside the client, so a server that ignores it and writes fenced
 * JSON would fail the request instead of reaching our tolerant parser.
 */
export type ReplyMode = "tools" | "text";

/**
 * The mode a provider starts in: `tools` for OpenAI-compatible servers, `text` for Ollama, whose JSON mode
 * every release has (tool calls there depend on the model pulled).
 */
export function replyModeOf(config: Pick<Config, "LLM_PROVIDER">): ReplyMode {
  return config.LLM_PROVIDER === "openai" ? "tools" : "text";
}

/**
 * Ask the model for its reply and return it as JSON text for `parseLlmAnswer`: in `tools` mode the
 * arguments of the tool call when the model made one, else the message text (a server that ignored the
 * tool); in `text` mode the message text.
 */
export async function invokeForReply(model: BaseChatModel, messages: BaseMessage[], mode: ReplyMode, signal: AbortSignal): Promise<string> {
  if (mode === "text") return messageText((await model.invoke(messages, { signal })) as AIMessage);
  const structured = model.withStructuredOutput(llmReplyShape, { method: "functionCalling", name: REPLY_TOOL, includeRaw: true });
  const { raw, parsed } = await structured.invoke(messages, { signal });
  if (parsed) return JSON.stringify(parsed);
  // LangChain's parse is all or nothing; ours drops a malformed claim on its own, so read the call again.
  const reply = raw instanceof AIMessage ? raw : new AIMessage({ content: raw.content });
  const call = reply.tool_calls?.find((c) => c.name === REPLY_TOOL);
  if (call) return JSON.stringify(call.args);
  const invalid = reply.invalid_tool_calls?.find((c) => c.name === REPLY_TOOL);
  if (invalid?.args) return invalid.args;
  return messageText(reply);
}

/**
 * Whether an error says the server or model does not take tools: an HTTP error whose message says so,
 * whatever its status, as each server words it (Ollama: "… does not support tools", HTTP 400; llama.cpp
 * without `--jinja`: "tools param requires --jinja flag", HTTP 500, or "Unsupported param: tool_choice";
 * OpenRouter: "No endpoints found that support tool use", HTTP 404). The text decides, not the status:
 * a bare 400 is as often an over-long prompt, and asking again without tools would hide that.
 */
export function rejectsStructuredOutput(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { status?: unknown }).status;
  if (typeof status !== "number" || status < 400) return false;
  return /\btool/i.test(err.message) && /support|require|jinja|not allowed|no endpoints|unrecognized|unknown|not enabled|invalid/i.test(err.message);
}

/** The text of a reply, whether its content is a string or a list of parts. */
export function messageText(reply: AIMessage): string {
  if (typeof reply.content === "string") return reply.content;
  return reply.content.map((c) => (c.type === "text" && "text" in c && typeof c.text === "string" ? c.text : "")).join("");
}
