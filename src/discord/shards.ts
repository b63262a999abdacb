import type { Config } from "../config.js";
import { AppError } from "../errors.js";

/** The discord.js client options that choose which shards this process runs. */
export type ShardOptions = { shards: "auto" } | { shards: number[]; shardCount: number };

/**
 * Which shards to run. Neither setting: `shards: 'auto'`, Discord's recommended count, all in this
 * process (internal sharding). SHARD_COUNT alone: that many, all here. SHARD_COUNT and SHARD_IDS: this
 * process's share, so that processes on one or several machines can split the shards between them.
 */
export function shardOptions(config: Pick<Config, "SHARD_COUNT" | "SHARD_IDS">): ShardOptions {
  const count = config.SHARD_COUNT;
  const ids = config.SHARD_IDS;
  if (count === undefined) {
    if (ids !== undefined) throw new AppError("CONFIG", "config: SHARD_IDS needs SHARD_COUNT, the total number of shards across every process of the bot");
    return { shards: "auto" };
  }
  if (ids === undefined) return { shards: Array.from({ length: count }, (_, i) => i), shardCount: count };
  const outside = ids.filter((id) => id >= count);
  if (outside.length) throw new AppError("CONFIG", `config: SHARD_IDS names shard ${outside.join(", ")}, but SHARD_COUNT=${count} has shards 0–${count - 1}`);
  if (ids.length === 0) throw new AppError("CONFIG", "config: SHARD_IDS names no shard");
  return { shards: ids, shardCount: count };
}
