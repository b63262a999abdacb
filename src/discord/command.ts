import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, SlashCommandOptionsOnlyBuilder, SlashCommandSubcommandsOnlyBuilder } from "discord.js";
import type { Config } from "../config.js";
import type { Core } from "../core.js";
import type { Logger } from "../log.js";
import type { StateDb } from "../state/db.js";
import type { FeedbackStore } from "../state/feedback.js";
import type { HistoryStore } from "../state/history.js";
import type { SettingsStore } from "../state/settings.js";
import type { QuestionLimits } from "./rate-limit.js";

/** What every handler is given. Nothing is imported as a singleton. */
export interface BotDeps {
  core: Core;
  config: Config;
  log: Logger;
  feedback: FeedbackStore;
  /** Per-server settings (`/settings`), read on every question. */
  settings: SettingsStore;
  /** Conversation history of the threads the bot opened. */
  history: HistoryStore;
  /** The app-state database itself, for reports (`/gaps`). */
  db: StateDb;
  limits: QuestionLimits;
}

/** One slash command: its definition and its handler, in one module. */
export interface Command {
  data: SlashCommandOptionsOnlyBuilder | SlashCommandSubcommandsOnlyBuilder;
  execute(interaction: ChatInputCommandInteraction, deps: BotDeps): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, deps: BotDeps): Promise<void>;
}

/** A button handler, chosen by the prefix of the button's custom id (`prefix:…`). */
export interface ButtonHandler {
  prefix: string;
  execute(interaction: ButtonInteraction, args: string[], deps: BotDeps): Promise<void>;
}

/** A failure meant for the user: shown politely and ephemerally, logged at info, not as an error. */
export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    readonly id: "rate_limited" | "too_long" | "not_allowed" | "busy" | "not_found" | "expired" | "failed",
    message: string,
  ) {
    super(message);
  }
}

/** Every message the bot sends uses this: no @everyone, no role or user pings, ever. */
export const NO_MENTIONS = { parse: [] as [] };
