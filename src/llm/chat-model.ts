import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { splitUrlCredentials, type Config } from "../config.js";
import { AppError } from "../errors.js";

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
    return new ChatOllama({ model, baseUrl: llmEndpoint(config), headers: urlAuthorization(config), format: "json", temperature: 0, numCtx: OLLAMA_NUM_CTX, maxRetries: 0 });
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
