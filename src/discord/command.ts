import {
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type PermissionsBitField,
  type SlashCommandOptionsOnlyBuilder,
  type SlashCommandSubcommandsOnlyBuilder,
} from "discord.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { FeedbackState, HistoryState, ReportsState, SettingsState } from "../state/store.js";
import type { WriteBehind } from "../state/write-behind.js";
import type { QuestionLimits } from "../state/rate-limit.js";
import type { AnswerService } from "../service/answer-service.js";

/** What every handler is given. Nothing is imported as a singleton. */
export interface BotDeps {
  core: AnswerService;
  config: Config;
  log: Logger;
  feedback: FeedbackState;
  /** Per-server settings (`/settings`), read on every question. */
  settings: SettingsState;
  /** Conversation history of the threads the bot opened. */
  history: HistoryState;
  /** The gap records, for reports (`/gaps`). */
  reports: ReportsState;
  limits: QuestionLimits;
  /** Records written after the reply has gone out (answers, votes, thread turns). */
  writes: WriteBehind;
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

/** The permission of the moderator commands (`/reindex`, `/settings`, `/gaps`, `/source`): Manage Server. */
export const MODERATORS = PermissionFlagsBits.ManageGuild;

/**
 * Refuses a member without Manage Server: "Only moderators with the Manage Server permission can
 * {action}." A server can override a command's default_member_permissions, so every moderator
 * command (and its buttons) checks again at run time.
 */
export function requireModerator(interaction: { memberPermissions: Readonly<PermissionsBitField> | null }, action: string): void {
  if (!interaction.memberPermissions?.has(MODERATORS)) throw new UserError("not_allowed", `Only moderators with the Manage Server permission can ${action}.`);
}
