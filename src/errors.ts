/** What went wrong, as a stable code that surfaces (CLI, Discord) can map to a message. */
export type ErrorCode = "CONFIG" | "CORPUS" | "EMBEDDINGS" | "INDEX" | "INDEX_BUSY" | "LLM" | "BAD_QUESTION" | "DISCORD" | "STATE";

/** The one error class of the product. Messages start with the component: `index: embedder mismatch: …`. */
export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
