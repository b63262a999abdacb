import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { llmEndpoint } from "./chat-model.js";

/** Why a request to the model failed, for the note the user sees and the `llm: …` line in the logs. */
export interface LlmFailure {
  kind: "timeout" | "unreachable" | "model" | "auth" | "http" | "other";
  /** Short, for users: "The language model did not answer within 20 s". */
  reason: string;
  /** One line for operators, starting `llm:`. */
  error: AppError;
}

/** Raised when LLM_TIMEOUT_MS passes; the request is aborted with it. */
export class LlmDeadlineError extends Error {
  override readonly name = "TimeoutError";
  constructor(readonly ms: number) {
    super(`no reply within ${ms} ms`);
  }
}

type ErrorLike = Error & { status?: unknown; status_code?: unknown; code?: unknown; lc_error_code?: unknown; cause?: unknown };

/** Classify what the LangChain client threw (OpenAI SDK, Ollama client, fetch, or our deadline). */
export function describeLlmFailure(err: unknown, config: Pick<Config, "LLM_PROVIDER" | "LLM_BASE_URL" | "LLM_MODEL" | "LLM_TIMEOUT_MS">): LlmFailure {
  const e = (err instanceof Error ? err : new Error(String(err))) as ErrorLike;
  const where = llmEndpoint(config);
  const model = config.LLM_MODEL;
  const firstLine = (e.message || e.name).split("\n")[0]!.trim();
  const status = [e.status, e.status_code].find((s): s is number => typeof s === "number");
  const causeCode = rootCode(e);
  const make = (kind: LlmFailure["kind"], reason: string, message: string): LlmFailure => ({
    kind,
    reason,
    error: new AppError("LLM", `llm: ${message}`, { cause: err }),
  });

  const ctor = e.constructor?.name ?? "";
  if (
    e instanceof LlmDeadlineError ||
    e.name === "TimeoutError" ||
    e.name === "AbortError" ||
    ctor === "APIConnectionTimeoutError" ||
    ctor === "APIUserAbortError"
  ) {
    const seconds = config.LLM_TIMEOUT_MS / 1000;
    return make(
      "timeout",
      `The language model did not answer within ${seconds} s`,
      `no reply from ${where} within ${config.LLM_TIMEOUT_MS} ms (LLM_TIMEOUT_MS)`,
    );
  }
  if (status === 404 || e.lc_error_code === "MODEL_NOT_FOUND" || /model\b.*\b(not found|does not exist)/i.test(firstLine)) {
    const hint = config.LLM_PROVIDER === "ollama" ? ` (try: ollama pull ${model})` : "";
    return make("model", `The language model "${model}" is not available on its server`, `model "${model}" not found at ${where}${hint}`);
  }
  if (status === 401 || status === 403) {
    return make("auth", "The language model server refused our credentials", `${where} refused the request (HTTP ${status}); check LLM_API_KEY`);
  }
  if (status !== undefined) {
    return make("http", `The language model failed (HTTP ${status})`, `${where} answered HTTP ${status}: ${firstLine}`);
  }
  if (
    ctor === "APIConnectionError" ||
    /fetch failed|connection error|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up/i.test(`${firstLine} ${causeCode ?? ""}`)
  ) {
    return make(
      "unreachable",
      "The language model server could not be reached",
      `cannot reach ${where}${causeCode ? ` (${causeCode})` : ""}; is the server running and LLM_BASE_URL right?`,
    );
  }
  return make("other", "The language model failed", firstLine);
}

/** The first system error code (ECONNREFUSED…) down the cause chain: fetch hides it two levels deep. */
function rootCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}
