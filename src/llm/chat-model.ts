import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";

/**
 * The configured chat model: Ollama, or any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server,
 * LM Studio) through ChatOpenAI with a base URL. No retries: a slow or failing model falls back to
 * the extractive answer instead.
 */
export async function createChatModel(config: Config): Promise<BaseChatModel> {
  if (!config.LLM_MODEL) throw new AppError("CONFIG", `config: LLM_MODEL is required when LLM_PROVIDER=${config.LLM_PROVIDER}`);
  if (config.LLM_PROVIDER === "ollama") {
    const { ChatOllama } = await import("@langchain/ollama");
    return new ChatOllama({ model: config.LLM_MODEL, baseUrl: config.LLM_BASE_URL ?? "http://127.0.0.1:11434", format: "json", temperature: 0, maxRetries: 0 });
  }
  if (config.LLM_PROVIDER === "openai") {
    const { ChatOpenAI } = await import("@langchain/openai");
    return new ChatOpenAI({
      model: config.LLM_MODEL,
      apiKey: config.LLM_API_KEY || "not-needed",
      temperature: 0,
      maxRetries: 0,
      timeout: config.LLM_TIMEOUT_MS,
      ...(config.LLM_BASE_URL ? { configuration: { baseURL: config.LLM_BASE_URL } } : {}),
    });
  }
  throw new AppError("CONFIG", "config: LLM_PROVIDER=none has no chat model");
}
