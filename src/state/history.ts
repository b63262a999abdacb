import type { StateDb } from "./db.js";

/** A passage an earlier answer cited (or offered as related when it abstained). */
export interface TurnCitation {
  passageId: string;
  articleId: string;
  /** Who the citation says made the claim. */
  source: string;
  quote: string;
}

/** One question and answer in a thread the bot opened. */
export interface Turn {
  /** Milliseconds since the epoch. */
  at: number;
  /** As the user wrote it. */
  question: string;
  /** What was searched for: the question with its references to earlier turns resolved. */
  query: string;
  answered: boolean;
  answer: string;
  citations: TurnCitation[];
}

export interface HistoryOptions {
  /** Turns kept per thread; older ones are deleted. */
  maxTurns: number;
  /** A thread is forgotten this long after its last turn. */
  ttlMs: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * Conversation history of the threads the bot opened, bounded per thread and forgotten after a
 * while. Only the bot's own questions and answers are kept: messages not addressed to it are never read.
 */
export class HistoryStore {
  private readonly now: () => number;

  constructor(
    private readonly db: StateDb,
    private readonly opts: HistoryOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Remember that the bot opened this thread (idempotent). */
  openThread(threadId: string, guildId: string | null): void {
    const t = this.now();
    this.db
      .prepare(
        "INSERT INTO threads (thread_id, guild_id, opened_at, last_at) VALUES (?, ?, ?, ?) ON CONFLICT (thread_id) DO UPDATE SET last_at = excluded.last_at",
      )
      .run(threadId, guildId, t, t);
  }

  // Reads leave expired threads out rather than deleting them: a question never waits on a write
  // (another process may hold the write lock). `addTurn` deletes them.

  /** A thread the bot opened whose history has not expired. */
  isBotThread(threadId: string): boolean {
    return this.db.prepare("SELECT 1 FROM threads WHERE thread_id = ? AND last_at >= ?").get(threadId, this.expiredBefore()) !== undefined;
  }

  /** Whether `messageId` is one of the bot's answers in this thread (and the thread has not expired). */
  isBotMessage(threadId: string, messageId: string): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM bot_messages b JOIN threads t USING (thread_id) WHERE b.thread_id = ? AND b.message_id = ? AND t.last_at >= ?")
        .get(threadId, messageId, this.expiredBefore()) !== undefined
    );
  }

  /** The thread's kept turns, oldest first; empty once it expired. */
  turns(threadId: string): Turn[] {
    if (!this.isBotThread(threadId)) return [];
    const rows = this.db
      .prepare("SELECT at, question, query, answered, answer, citations FROM turns WHERE thread_id = ? ORDER BY id DESC LIMIT ?")
      .all(threadId, this.opts.maxTurns) as Array<{
      at: number;
      question: string;
      query: string;
      answered: number;
      answer: string;
      citations: string;
    }>;
    return rows.reverse().map((r) => ({
      at: r.at,
      question: r.question,
      query: r.query,
      answered: r.answered === 1,
      answer: r.answer,
      citations: JSON.parse(r.citations) as TurnCitation[],
    }));
  }

  /** Add a turn and the ids of the messages that carried its answer; drops turns beyond `maxTurns`. */
  addTurn(threadId: string, guildId: string | null, turn: Omit<Turn, "at">, botMessageIds: string[] = []): void {
    const at = this.now();
    this.db.transaction(() => {
      this.prune();
      this.db
        .prepare(
          "INSERT INTO threads (thread_id, guild_id, opened_at, last_at) VALUES (?, ?, ?, ?) ON CONFLICT (thread_id) DO UPDATE SET last_at = excluded.last_at",
        )
        .run(threadId, guildId, at, at);
      this.db
        .prepare("INSERT INTO turns (thread_id, at, question, query, answered, answer, citations) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(threadId, at, turn.question, turn.query, turn.answered ? 1 : 0, turn.answer, JSON.stringify(turn.citations));
      this.db
        .prepare("DELETE FROM turns WHERE thread_id = ? AND id NOT IN (SELECT id FROM turns WHERE thread_id = ? ORDER BY id DESC LIMIT ?)")
        .run(threadId, threadId, this.opts.maxTurns);
      const insert = this.db.prepare("INSERT OR IGNORE INTO bot_messages (message_id, thread_id) VALUES (?, ?)");
      for (const id of botMessageIds) insert.run(id, threadId);
    })();
  }

  /** Forget threads whose last turn is older than the time to live; returns how many. */
  prune(): number {
    return this.db.prepare("DELETE FROM threads WHERE last_at < ?").run(this.expiredBefore()).changes;
  }

  private expiredBefore(): number {
    return this.now() - this.opts.ttlMs;
  }
}
