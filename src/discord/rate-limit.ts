/** Sliding-window limits: at most `limit` events per key in any `windowMs`. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Would an event for `key` be allowed now (under `limit`, default the constructor's)? Records nothing. */
  check(key: string, limit = this.limit): { ok: true } | { ok: false; retryAfterMs: number } {
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((h) => t - h < this.windowMs);
    this.hits.set(key, recent);
    return recent.length >= limit ? { ok: false, retryAfterMs: this.windowMs - (t - recent[0]!) } : { ok: true };
  }

  /** Record an event for `key` if allowed; otherwise return how long until one is. */
  take(key: string, limit = this.limit): { ok: true } | { ok: false; retryAfterMs: number } {
    const allowed = this.check(key, limit);
    if (!allowed.ok) return allowed;
    const t = this.now();
    this.hits.get(key)!.push(t);
    // Keep the map from growing without bound under many distinct users.
    if (this.hits.size > 50_000) for (const [k, v] of this.hits) if (v.every((h) => t - h >= this.windowMs)) this.hits.delete(k);
    return { ok: true };
  }
}

/** Per-user and per-guild question limits, as the bot applies them. */
export class QuestionLimits {
  private readonly user: RateLimiter;
  private readonly guild: RateLimiter;

  constructor(
    private readonly perUserPerMin: number,
    private readonly perGuildPerMin: number,
    now?: () => number,
  ) {
    this.user = new RateLimiter(perUserPerMin, 60_000, now);
    this.guild = new RateLimiter(perGuildPerMin, 60_000, now);
  }

  /**
   * undefined when allowed; otherwise the polite message to show. A server's own limits (`/settings`)
   * apply when lower than the global ones; they can never raise them.
   */
  check(userId: string, guildId: string | null, server: { userPerMin?: number | null; guildPerMin?: number | null } = {}): string | undefined {
    const userLimit = Math.min(this.perUserPerMin, server.userPerMin ?? Infinity);
    const guildLimit = Math.min(this.perGuildPerMin, server.guildPerMin ?? Infinity);
    // Check both before counting either: a refused question uses up no one's allowance.
    const u = this.user.check(`u:${userId}`, userLimit);
    if (!u.ok) return `You're asking faster than I can keep up. Please try again in ${Math.ceil(u.retryAfterMs / 1000)} s.`;
    if (guildId) {
      const g = this.guild.check(`g:${guildId}`, guildLimit);
      if (!g.ok) return `This server is asking a lot right now. Please try again in ${Math.ceil(g.retryAfterMs / 1000)} s.`;
      this.guild.take(`g:${guildId}`, guildLimit);
    }
    this.user.take(`u:${userId}`, userLimit);
    return undefined;
  }
}
