import { readFileSync } from "node:fs";
import path from "node:path";
import type { ScoredPassage } from "../core.js";

/** The prompt files this code speaks to; bump with the files. */
export const PROMPT_VERSION = "v1";
const PROMPTS_DIR = path.resolve(import.meta.dirname, "..", "..", "prompts");

export interface PromptTemplates {
  system: string;
  user: string;
}

export function loadPrompts(dir: string = PROMPTS_DIR): PromptTemplates {
  const read = (name: string) => readFileSync(path.join(dir, `${name}.${PROMPT_VERSION}.md`), "utf8").trim();
  return { system: read("answer-system"), user: read("answer-user") };
}

/**
 * Text placed inside a delimiter: angle brackets become look-alikes, so neither a question nor an
 * article can close its element or open a new one.
 */
export function escapeDelimited(text: string): string {
  return text.replace(/</g, "‹").replace(/>/g, "›");
}

const attr = (s: string) => escapeDelimited(s).replace(/"/g, "'");

/** The user message: the question and the passages, each with its id, delimited. */
export function fillUserPrompt(template: string, question: string, passages: ScoredPassage[]): string {
  const blocks = passages
    .map((p) => `<passage id="${attr(p.passage.id)}" article="${attr(p.article.title || p.article.id)}" source="${attr(p.article.publisher)}" published="${attr(p.article.published)}">\n${escapeDelimited(p.passage.text)}\n</passage>`)
    .join("\n");
  // One pass over the template, so text inserted for one placeholder is never scanned for another.
  return template.replace(/\{\{(question|passages)\}\}/g, (_, name: string) => (name === "question" ? escapeDelimited(question.trim()) : blocks));
}
