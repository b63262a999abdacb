import { z } from "zod";
import type { StateDb } from "./db.js";

/** What a server's moderators can change with `/settings`. Stored as JSON; fields added later get their default. */
export const guildSettingsSchema = z.object({
  /** Channels where the bot answers (threads count as their parent channel). Empty: every channel. Default empty. */
  channels: z.array(z.string().regex(/^\d+$/)).default([]),
  /** `/ask` opens a thread for its answer, where follow-ups continue the conversation. Default false. */
  askThreads: z.boolean().default(false),
  /** `public` answers everyone sees, or `ephemeral` ones only the asker sees. Default `public`. */
  visibility: z.enum(["public", "ephemeral"]).default("public"),
  /** Questions per user per minute here; null means the global RATE_LIMIT_USER_PER_MIN, which also caps it. Default null. */
  userPerMin: z.number().int().min(1).nullable().default(null),
  /** Questions per minute for the whole server; null means RATE_LIMIT_GUILD_PER_MIN, which also caps it. Default null. */
  guildPerMin: z.number().int().min(1).nullable().default(null),
});

export type GuildSettings = z.infer<typeof guildSettingsSchema>;

export const DEFAULT_SETTINGS: GuildSettings = guildSettingsSchema.parse({});

/** One change, as logged: who made it, when, and each field's old and new value. */
export interface SettingsChange {
  at: string;
  userId: string;
  change: Partial<Record<keyof GuildSettings, { from: unknown; to: unknown }>>;
}

/**
 * Per-server settings, read on every question (one primary-key lookup) so a change applies at once
 * and survives restarts. Every change is logged with the moderator who made it: an audit trail must
 * say who, so these ids (moderators', not askers') are kept as they are.
 */
export class SettingsStore {
  constructor(private readonly db: StateDb) {}

  get(guildId: string | null): GuildSettings {
    if (!guildId) return DEFAULT_SETTINGS;
    const row = this.db.prepare("SELECT settings FROM guild_settings WHERE guild_id = ?").get(guildId) as { settings: string } | undefined;
    if (!row) return DEFAULT_SETTINGS;
    const parsed = guildSettingsSchema.safeParse(JSON.parse(row.settings));
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  /** Apply `patch` for `userId` and log what changed; returns the new settings. Nothing is logged when nothing changes. */
  update(guildId: string, userId: string, patch: Partial<GuildSettings>, at = new Date()): { settings: GuildSettings; changed: SettingsChange["change"] } {
    return this.db.transaction(() => {
      const before = this.get(guildId);
      const after = guildSettingsSchema.parse({ ...before, ...patch });
      const changed: SettingsChange["change"] = {};
      for (const key of Object.keys(after) as Array<keyof GuildSettings>) {
        if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key] = { from: before[key], to: after[key] };
      }
      if (Object.keys(changed).length === 0) return { settings: after, changed };
      this.db
        .prepare(
          "INSERT INTO guild_settings (guild_id, settings, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .run(guildId, JSON.stringify(after), at.toISOString(), userId);
      this.db
        .prepare("INSERT INTO settings_log (guild_id, at, user_id, change) VALUES (?, ?, ?, ?)")
        .run(guildId, at.toISOString(), userId, JSON.stringify(changed));
      return { settings: after, changed };
    })();
  }

  /** The latest changes, newest first. */
  log(guildId: string, limit = 10): SettingsChange[] {
    const rows = this.db.prepare("SELECT at, user_id, change FROM settings_log WHERE guild_id = ? ORDER BY id DESC LIMIT ?").all(guildId, limit) as Array<{
      at: string;
      user_id: string;
      change: string;
    }>;
    return rows.map((r) => ({ at: r.at, userId: r.user_id, change: JSON.parse(r.change) as SettingsChange["change"] }));
  }
}

/** Whether the bot answers in `channelId` (a thread's parent for threads) under these settings. */
export function channelAllowed(settings: GuildSettings, channelId: string | null): boolean {
  return settings.channels.length === 0 || (channelId !== null && settings.channels.includes(channelId));
}
