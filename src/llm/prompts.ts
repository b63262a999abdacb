import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "../errors.js";
import type { PriorTurn } from "../answer/answer.js";
import { articleLabel } from "../answer/format.js";
import type { ScoredPassage } from "../retrieval/hybrid.js";

/** The prompt files this code speaks to (`prompts/*.<version>.md`); see prompts/README.md. */
export const PROMPT_VERSION = "v3";
/** `prompts/` at the repository root, found from this file rather than the working directory. */
export const PROMPTS_DIR = fileURLToPath(new URL("../../prompts/", import.meta.url));

const PLACEHOLDERS = ["question", "passages"] as const;

export interface PromptTemplates {
  version: string;
  system: string;
  user: string;
}

/** Read and check the versioned prompts once, at start-up. Throws `llm: prompt …` when one is missing or malformed. */
export function loadPrompts(dir: string = PROMPTS_DIR, version: string = PROMPT_VERSION): PromptTemplates {
  const read = (name: string) => {
    const file = path.join(dir, `${name}.${version}.md`);
    try {
      return readFileSync(file, "utf8").trim();
    } catch (err) {
      throw new AppError("LLM", `llm: prompt ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
  };
  const system = read("answer-system");
  const user = read("answer-user");
  const found = [...user.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
  for (const name of PLACEHOLDERS) {
    const n = found.filter((f) => f === name).length;
    if (n !== 1) throw new AppError("LLM", `llm: prompt answer-user.${version}.md must contain {{${name}}} exactly once (found ${n})`);
  }
  const unknown = found.find((f) => !(PLACEHOLDERS as readonly string[]).includes(f));
  if (unknown) throw new AppError("LLM", `llm: prompt answer-user.${version}.md has an unknown placeholder {{${unknown}}}`);
  return { version, system, user };
}

/**
 * Text placed inside a delimiter: angle brackets become look-alikes, so neither a question nor an
 * article can close its element or open a new one.
 */
export function escapeDelimited(text: string): string {
  return text.replace(/</g, "‹").replace(/>/g, "›");
}

const attr = (s: string) => escapeDelimited(s).replace(/"/g, "'").replace(/\s+/g, " ");

/** One `<passage>` element per retrieved passage, best first. */
export function passageBlocks(passages: ScoredPassage[]): string {
  return passages
    .map((p) => {
      const meta = `id="${attr(p.passage.id)}" article="${attr(articleLabel(p.article.title, p.article.id))}" source="${attr(p.article.publisher)}" published="${attr(p.article.published)}"`;
      return `<passage ${meta}>\n${escapeDelimited(p.passage.text)}\n</passage>`;
    })
    .join("\n");
}

/** The user message: the question and the passages, each with its id, delimited. */
export function fillUserPrompt(template: string, question: string, passages: ScoredPassage[]): string {
  const values: Record<string, string> = { question: escapeDelimited(question.trim()), passages: passageBlocks(passages) };
  // One pass over the template, so text inserted for one placeholder is never scanned for another.
  return template.replace(/\{\{(question|passages)\}\}/g, (_, name: string) => values[name]!);
}

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
