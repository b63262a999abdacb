import { AppError } from "../errors.js";

/**
 * Gateway close codes Discord will not let the bot recover from by reconnecting, each with what the
 * operator has to fix. discord.js stops reconnecting on these; the bot must then exit non-zero.
 */
const FATAL_CLOSES: Record<number, string> = {
  4004: "Discord rejected DISCORD_TOKEN (authentication failed): reset the token in the Developer Portal (Bot → Reset Token) and put the new one in DISCORD_TOKEN",
  4010: "Discord refused the shard the bot sent (invalid shard): every id in SHARD_IDS must be below SHARD_COUNT",
  4011: "the bot is in too many servers for the shards it runs (sharding required): unset SHARD_COUNT so that discord.js runs Discord's recommended number of shards, or raise SHARD_COUNT (every process the same) and split the ids 0 to SHARD_COUNT-1 between processes with SHARD_IDS",
  4012: "Discord refused the gateway API version: update discord.js",
  4013: "Discord refused the gateway intents the bot asked for (invalid intents): update discord.js",
  4014: "Discord refused the privileged Message Content intent (disallowed intents): switch on Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal, or set DISCORD_MENTIONS=false",
};

/** The error to stop on for an unrecoverable gateway close; undefined when discord.js will reconnect. */
export function fatalGatewayClose(code: number): AppError | undefined {
  const fix = FATAL_CLOSES[code];
  return fix ? new AppError("DISCORD", `discord: gateway closed with ${code}: ${fix}`) : undefined;
}
