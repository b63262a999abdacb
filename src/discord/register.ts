import { REST, Routes } from "discord.js";
import { loadConfig } from "../config.js";
import { reportFailure } from "../cli/run.js";
import { commands } from "./commands/index.js";

/** `npm run register`: put the slash commands, guild-scoped when DISCORD_GUILD_ID is set. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DISCORD_TOKEN) throw new Error("register: DISCORD_TOKEN is not set");
  const rest = new REST({ api: config.DISCORD_API_BASE }).setToken(config.DISCORD_TOKEN);
  const appId = config.DISCORD_CLIENT_ID || ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const body = commands.map((c) => c.data.toJSON());
  const route = config.DISCORD_GUILD_ID ? Routes.applicationGuildCommands(appId, config.DISCORD_GUILD_ID) : Routes.applicationCommands(appId);
  const result = (await rest.put(route, { body })) as unknown[];
  process.stdout.write(
    `registered ${result.length} commands ${config.DISCORD_GUILD_ID ? `in guild ${config.DISCORD_GUILD_ID}` : "globally (may take up to an hour to appear)"}\n`,
  );
}

main().catch((err: unknown) => reportFailure(err));
