import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/** The table rate-limiter-flexible counts in (SQLite and PostgreSQL alike). */
export const LIMIT_TABLE = "rate_limits";

/** The window the per-minute limits count in, in seconds. */
export const LIMIT_WINDOW_S = 60;

/**
 * Makes the counter for one kind of limit (`user` or `guild`) allowing `points` per window. The counters
 * are rate-limiter-flexible limiters: in memory (one process), in the state SQLite file (the processes of
 * one machine) or in PostgreSQL (every machine), so that a user's limit holds across all of them.
 */
export type LimiterFactory = (kind: "user" | "guild", points: number, durationS: number) => RateLimiterAbstract;

/** Counters in this process's memory only. */
export const memoryLimiters: LimiterFactory = (kind, points, duration) => new RateLimiterMemory({ keyPrefix: kind, points, duration });

/** Count one event for `key`; refused (and not counted) when that makes more than `limit` in the window. */
async function take(limiter: RateLimiterAbstract, key: string, limit: number): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> {
  let res: RateLimiterRes;
  try {
    res = await limiter.consume(key, 1);
  } catch (rejected) {
    // Over the limiter's own points: it rejects with the counts. Any other failure is the store's.
    if (!(rejected instanceof RateLimiterRes)) throw rejected;
    res = rejected;
  }
  if (res.consumedPoints <= limit) return { ok: true };
  // A refused question uses up no allowance.
  await limiter.reward(key, 1).catch(() => undefined);
  return { ok: false, retryAfterMs: res.msBeforeNext };
}

/** Per-user and per-guild question limits, as the bot applies them. */
export class QuestionLimits {
  private readonly user: RateLimiterAbstract;
  private readonly guild: RateLimiterAbstract;

  constructor(
    private readonly perUserPerMin: number,
    private readonly perGuildPerMin: number,
    make: LimiterFactory = memoryLimiters,
    /** The window, in seconds. Default LIMIT_WINDOW_S (tests shorten it). */
    windowS = LIMIT_WINDOW_S,
  ) {
    this.user = make("user", perUserPerMin, windowS);
    this.guild = make("guild", perGuildPerMin, windowS);
  }

  /**
   * undefined when allowed; otherwise the polite message to show. A server's own limits (`/settings`)
   * apply when lower than the global ones; they can never raise them.
   */
  async check(userId: string, guildId: string | null, server: { userPerMin?: number | null; guildPerMin?: number | null } = {}): Promise<string | undefined> {
    const userLimit = Math.min(this.perUserPerMin, server.userPerMin ?? Infinity);
    const guildLimit = Math.min(this.perGuildPerMin, server.guildPerMin ?? Infinity);
    const u = await take(this.user, userId, userLimit);
    if (!u.ok) return `You're asking faster than I can keep up. Please try again in ${Math.max(1, Math.ceil(u.retryAfterMs / 1000))} s.`;
    if (guildId) {
      const g = await take(this.guild, guildId, guildLimit);
      if (!g.ok) {
        // The user's question was refused after all: give their allowance back.
        await this.user.reward(userId, 1).catch(() => undefined);
        return `This server is asking a lot right now. Please try again in ${Math.max(1, Math.ceil(g.retryAfterMs / 1000))} s.`;
      }
    }
    return undefined;
  }
}
