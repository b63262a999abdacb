import type { Answer } from "../answer/answer.js";
import type { DayCount, GapQuestion, PeriodQuery } from "./gaps.js";
import type { Turn } from "./history.js";
import type { GuildSettings, SettingsChange } from "./settings.js";
import type { StoredAnswer, StoredVote } from "./feedback.js";

/** The embedded SQLite store answers at once; PostgreSQL over the network. Callers await either. */
export type Awaitable<T> = T | Promise<T>;

/** Answers and votes (the 👍/👎 buttons, `/gaps`). */
export interface FeedbackState {
  /** The keyed hash stored in place of a user id. */
  hashUser(userId: string): string;
  recordAnswer(answer: Answer, userId: string, guildId?: string | null, at?: Date, id?: string): Awaitable<StoredAnswer>;
  answer(id: string): Awaitable<StoredAnswer | undefined>;
  vote(answerId: string, userId: string, vote: "up" | "down", at?: Date): Awaitable<StoredVote | undefined>;
  votes(answerId?: string): Awaitable<StoredVote[]>;
}

/** Per-server settings (`/settings`), read on every question. */
export interface SettingsState {
  get(guildId: string | null): Awaitable<GuildSettings>;
  update(guildId: string, userId: string, patch: Partial<GuildSettings>, at?: Date): Awaitable<{ settings: GuildSettings; changed: SettingsChange["change"] }>;
  log(guildId: string, limit?: number): Awaitable<SettingsChange[]>;
}

/** Conversation history of the threads the bot opened. */
export interface HistoryState {
  isBotThread(threadId: string): Awaitable<boolean>;
  isBotMessage(threadId: string, messageId: string): Awaitable<boolean>;
  turns(threadId: string): Awaitable<Turn[]>;
  addTurn(threadId: string, guildId: string | null, turn: Omit<Turn, "at">, botMessageIds?: string[]): Awaitable<void>;
}

/** The gap records `/gaps` and `npm run gaps` report on. */
export interface ReportsState {
  gapQuestions(q: PeriodQuery): Awaitable<GapQuestion[]>;
  dailyCounts(q: PeriodQuery): Awaitable<DayCount[]>;
}
