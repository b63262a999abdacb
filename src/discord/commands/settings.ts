import { ChannelType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from "discord.js";
import type { GuildSettings, SettingsChange } from "../../state/settings.js";
import { MODERATORS, NO_MENTIONS, requireModerator, UserError, type BotDeps, type Command } from "../command.js";
import { channelList } from "../gate.js";

/** Settings shown back, with the global caps they live within and the latest changes. */
export function describeSettings(s: GuildSettings, deps: BotDeps, log: SettingsChange[]): string {
  const userCap = deps.config.RATE_LIMIT_USER_PER_MIN;
  const guildCap = deps.config.RATE_LIMIT_GUILD_PER_MIN;
  const lines = [
    "**Settings for this server**",
    `Channels where I answer: ${s.channels.length ? channelList(s.channels) : "all"}`,
    `Threads for \`/ask\` answers: ${s.askThreads ? "on" : "off"}`,
    `Answers to \`/ask\`: ${s.visibility === "public" ? "public" : "only the asker sees them"}`,
    `Questions per user per minute: ${Math.min(s.userPerMin ?? userCap, userCap)} (global cap ${userCap})`,
    `Questions per minute for the server: ${Math.min(s.guildPerMin ?? guildCap, guildCap)} (global cap ${guildCap})`,
  ];
  if (log.length) {
    lines.push("", "**Latest changes**");
    for (const c of log.slice(0, 5)) lines.push(`<t:${Math.floor(Date.parse(c.at) / 1000)}:f> by <@${c.userId}>: ${describeChange(c.change)}`);
  }
  return lines.join("\n");
}

function describeChange(change: SettingsChange["change"]): string {
  const parts: string[] = [];
  for (const [key, { to }] of Object.entries(change) as Array<[keyof GuildSettings, { from: unknown; to: unknown }]>) {
    if (key === "channels") parts.push(`channels → ${(to as string[]).length ? channelList(to as string[]) : "all"}`);
    else if (key === "askThreads") parts.push(`threads → ${to ? "on" : "off"}`);
    else if (key === "visibility") parts.push(`answers → ${to === "public" ? "public" : "only the asker"}`);
    else parts.push(`${key === "userPerMin" ? "per-user limit" : "server limit"} → ${to === null ? "global" : String(to)}`);
  }
  return parts.join(", ");
}

export const settingsCommand: Command = {
  data: new SlashCommandBuilder()
    .setName("settings")
    .setDescription("Where and how the bot answers on this server (moderators)")
    .setDefaultMemberPermissions(MODERATORS)
    .addSubcommand((c) => c.setName("show").setDescription("Show this server's settings and their latest changes"))
    .addSubcommand((c) =>
      c
        .setName("channels")
        .setDescription("Choose the channels where the bot answers")
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("Add or remove a channel, or answer everywhere")
            .setRequired(true)
            .addChoices({ name: "add", value: "add" }, { name: "remove", value: "remove" }, { name: "all channels", value: "all" }),
        )
        .addChannelOption((o) =>
          o
            .setName("channel")
            .setDescription("The channel to add or remove")
            .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum),
        ),
    )
    .addSubcommand((c) =>
      c
        .setName("threads")
        .setDescription("Whether /ask opens a thread for its answer")
        .addBooleanOption((o) => o.setName("enabled").setDescription("Open threads").setRequired(true)),
    )
    .addSubcommand((c) =>
      c
        .setName("answers")
        .setDescription("Whether /ask answers are public or only for the asker")
        .addStringOption((o) =>
          o
            .setName("visibility")
            .setDescription("Who sees answers")
            .setRequired(true)
            .addChoices({ name: "public", value: "public" }, { name: "only the asker", value: "ephemeral" }),
        ),
    )
    .addSubcommand((c) =>
      c
        .setName("rate-limit")
        .setDescription("Questions per minute on this server, within the bot's global caps (0 = the global cap)")
        .addIntegerOption((o) => o.setName("per-user").setDescription("Questions per user per minute").setMinValue(0).setMaxValue(10000))
        .addIntegerOption((o) => o.setName("per-server").setDescription("Questions per minute for the whole server").setMinValue(0).setMaxValue(100000)),
    ),

  async execute(interaction: ChatInputCommandInteraction, deps: BotDeps) {
    if (!interaction.inGuild()) throw new UserError("not_allowed", "Settings belong to a server; use this command in one.");
    requireModerator(interaction, "see or change these settings");
    const guildId = interaction.guildId;
    const sub = interaction.options.getSubcommand(true);
    let patch: Partial<GuildSettings> = {};
    const current = await deps.settings.get(guildId);
    if (sub === "channels") {
      const action = interaction.options.getString("action", true);
      const channel = interaction.options.getChannel("channel");
      if (action === "all") patch = { channels: [] };
      else if (!channel) throw new UserError("not_found", `Say which channel to ${action}, e.g. \`/settings channels action:${action} channel:#general\`.`);
      else if (action === "add") patch = { channels: [...new Set([...current.channels, channel.id])] };
      else {
        if (!current.channels.includes(channel.id)) throw new UserError("not_found", `<#${channel.id}> is not in the list, so there is nothing to remove.`);
        patch = { channels: current.channels.filter((id) => id !== channel.id) };
      }
    } else if (sub === "threads") patch = { askThreads: interaction.options.getBoolean("enabled", true) };
    else if (sub === "answers") patch = { visibility: interaction.options.getString("visibility", true) === "ephemeral" ? "ephemeral" : "public" };
    else if (sub === "rate-limit") {
      const perUser = interaction.options.getInteger("per-user");
      const perServer = interaction.options.getInteger("per-server");
      if (perUser === null && perServer === null) throw new UserError("not_found", "Give `per-user`, `per-server` or both (0 means the global cap).");
      const capped = (v: number, cap: number) => (v === 0 ? null : Math.min(v, cap));
      if (perUser !== null) patch.userPerMin = capped(perUser, deps.config.RATE_LIMIT_USER_PER_MIN);
      if (perServer !== null) patch.guildPerMin = capped(perServer, deps.config.RATE_LIMIT_GUILD_PER_MIN);
    }
    let note = "";
    if (sub !== "show") {
      const { changed } = await Promise.resolve()
        .then(() => deps.settings.update(guildId, interaction.user.id, patch))
        .catch((err: unknown) => {
          // A lock held elsewhere (another process writing the state) for longer than the store waits.
          if (/^(SQLITE_BUSY|SQLITE_LOCKED|55P03)/.test(String((err as { code?: unknown }).code)))
            throw new UserError("busy", "The settings could not be saved just now (the state store is busy); please try again in a moment.");
          throw err;
        });
      const keys = Object.keys(changed);
      note = keys.length ? "✅ Saved.\n\n" : "Nothing changed.\n\n";
      if (keys.length) deps.log.info({ guild: guildId, user: interaction.user.id, change: changed }, "discord: settings changed");
    }
    const content = note + describeSettings(await deps.settings.get(guildId), deps, await deps.settings.log(guildId));
    await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  },
};
