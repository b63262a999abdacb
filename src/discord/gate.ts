import { channelAllowed, type GuildSettings } from "../state/settings.js";
import { UserError, type BotDeps } from "./command.js";

/** Where a question was asked: the channel, or a thread's parent channel. */
export interface QuestionPlace {
  userId: string;
  guildId: string | null;
  /** The channel the settings are about (a thread's parent). */
  channelId: string | null;
}

/** `<#1>, <#2> and <#3>` (channel mentions render as links and never ping). */
export function channelList(ids: string[]): string {
  const links = ids.map((id) => `<#${id}>`);
  return links.length <= 1 ? (links[0] ?? "") : `${links.slice(0, -1).join(", ")} and ${links.at(-1)}`;
}

/**
 * The checks every question passes, in order: the server's channel list, then its rate limits
 * (within the global caps). Returns the server's settings; throws a UserError to show otherwise.
 */
export async function admitQuestion(deps: BotDeps, place: QuestionPlace): Promise<GuildSettings> {
  const settings = await deps.settings.get(place.guildId);
  if (place.guildId && !channelAllowed(settings, place.channelId)) {
    throw new UserError("not_allowed", `On this server I only answer in ${channelList(settings.channels)}. Please ask there.`);
  }
  const limited = await deps.limits.check(place.userId, place.guildId, settings);
  if (limited) throw new UserError("rate_limited", limited);
  return settings;
}
