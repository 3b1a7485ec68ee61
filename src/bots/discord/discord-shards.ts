import type { Client, ClientOptions } from 'discord.js';
import type { DiscordShards } from '../../config.js';

/**
 * discord.js's own (internal) sharding from DISCORD_SHARDS and DISCORD_SHARD_IDS: `auto` asks
 * Discord for its recommended count (GET /gateway/bot) and runs every shard here; a number runs
 * that many, or only the listed ids when several replicas split them. Discord sends a guild's
 * events to shard (guild_id >> 22) % count; replies, digests and downloads go through REST,
 * which any shard's client can call.
 */
export function shardOptions(shards: DiscordShards | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!shards) return {};
  if (shards.count === 'auto') return { shards: 'auto' };
  const ids = shards.ids ?? Array.from({ length: shards.count }, (_, id) => id);
  return { shards: [...ids], shardCount: shards.count };
}

/** The shard that receives a guild's events (Discord's formula). */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** "connected", or "connected, shards 0–3 of 4" / "shard 2 of 4" when sharded. */
export function describeShards(client: Client | undefined): string {
  const count = client?.options.shardCount ?? 1;
  if (!client || count <= 1) return 'connected';
  const ids = [...client.ws.shards.keys()].sort((a, b) => a - b);
  const contiguous = ids.every((id, i) => i === 0 || id === ids[i - 1] + 1);
  const list = ids.length === 1 ? `shard ${ids[0]}` : contiguous ? `shards ${ids[0]}–${ids[ids.length - 1]}` : `shards ${ids.join(', ')}`;
  return `connected, ${list} of ${count}`;
}
