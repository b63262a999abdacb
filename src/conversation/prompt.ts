import type { PriorTurn } from "../core.js";
import { escapeDelimited } from "../llm/prompts.js";

/** Rough tokens of a text for budgeting (about four characters a token in English). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Earlier turns of a conversation as a delimited block placed before the question, newest kept first
 * when the budget runs out, so the model can resolve "it" or "he" in the question. They are context,
 * not sources: quotes are still verified against the retrieved passages only. Empty when there is
 * no history or no budget.
 */
export function historyBlock(history: PriorTurn[] | undefined, maxTokens: number): string {
  if (!history?.length || maxTokens <= 0) return "";
  const kept: string[] = [];
  let used = estimateTokens("<earlier-turns>\n</earlier-turns>") + 40;
  for (const turn of [...history].reverse()) {
    const block = `<turn>\n<question>${escapeDelimited(turn.question.trim())}</question>\n<answer>${escapeDelimited(turn.answer.trim())}</answer>\n</turn>`;
    const cost = estimateTokens(block);
    if (used + cost > maxTokens) break;
    used += cost;
    kept.unshift(block);
  }
  if (kept.length === 0) return "";
  return `Earlier turns of this conversation, oldest first. Use them only to understand what the question refers to; answer only from the passages.\n<earlier-turns>\n${kept.join("\n")}\n</earlier-turns>\n\n`;
}
