import { afterEach, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import { shardOfGuild } from '../../../src/bots/discord/discord-shards.js';
import type { DiscordShards } from '../../../src/config.js';
import type { Core } from '../../../src/core/index.js';
import { slashCommandInteraction, startFakeGateway, type FakeGateway, type FakeGatewayOptions } from '../../fakes/discord-gateway-fake.js';
import { discordMessages, startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { ManualClock, ManualScheduler } from '../../helpers/digests.js';
import { waitFor } from '../../helpers/wait.js';

// DISCORD_SHARDS: discord.js's own sharding against a gateway fake that routes each guild's
// events to shard (guild_id >> 22) % count, as Discord does.

const TOKEN = 'fake.discord.shard-token';
const GUILD = String(5n << 22n); // on shard 1 of 2, shard 2 of 3
const GENERAL = '900';
const VIEW_SEND_HISTORY = (1n << 10n) | (1n << 11n) | (1n << 16n);
const ANA = { id: '42', username: 'ana', discriminator: '0', avatar: null, global_name: 'Ana' } as const;
const guild: FakeGatewayOptions['guild'] = { id: GUILD, name: 'Acme', everyone: String(VIEW_SEND_HISTORY), channels: [{ id: GENERAL, name: 'general', type: 0 }] };

let rest: FakeDiscordRest;
let gateway: FakeGateway;
const open: { bot: DiscordBot; core: Core }[] = [];

async function fakes(): Promise<void> {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({ botUser: { id: '999', username: 'docent' }, applicationId: '1', guild });
  rest.gatewayUrl = gateway.url;
  rest.members.set(ANA.id, { roles: [] });
  rest.guilds.set(GUILD, guild);
  rest.channels.set(GENERAL, discordMessages(GENERAL, GUILD, 2, (i) => ({ content: ['The kiln firing moves to Thursday.', 'I will book the kiln room.'][i] })));
}

async function replica(shards: DiscordShards | undefined, overrides: Parameters<typeof startCore>[1] = {}): Promise<{ bot: DiscordBot; core: Core }> {
  const core = await startCore(testConfig(), { embedder: null, ...overrides });
  await core.start();
  const bot = new DiscordBot({ core, logger: memoryLogger(), token: TOKEN, apiUrl: rest.url, messageContent: true, managerRole: undefined, cdnHosts: [], shards });
  await bot.start();
  open.push({ bot, core });
  return { bot, core };
}

/** Runs /docs in the guild's channel; resolves with the interaction's token. */
function docs(): string {
  const payload = slashCommandInteraction({ name: 'docs', guildId: GUILD, channel: { id: GENERAL, name: 'general' }, user: ANA, permissions: VIEW_SEND_HISTORY });
  gateway.dispatch('INTERACTION_CREATE', payload);
  return payload.token;
}
const answered = (token: string) => rest.calls.filter((c) => c.path.includes(token) && c.kind === 'callback');

afterEach(async () => {
  for (const { bot, core } of open.splice(0)) {
    await bot.stop();
    await core.close();
  }
  await gateway?.close();
  await rest?.close();
});

describe('Discord sharding (DISCORD_SHARDS)', () => {
  it('Discord’s formula puts a guild on shard (id >> 22) % count', () => {
    expect(shardOfGuild(GUILD, 2)).toBe(1);
    expect(shardOfGuild(GUILD, 3)).toBe(2);
    expect(shardOfGuild('175928847299117063', 1)).toBe(0);
  });

  it('a number runs that many shards in one process, and the guild’s shard answers its commands', async () => {
    await fakes();
    const { bot } = await replica({ count: 2, ids: undefined });
    expect(gateway.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(bot.connection()).toBe('connected, shards 0–1 of 2');
    const token = docs();
    await waitFor(() => answered(token).length > 0);
    expect(answered(token)).toHaveLength(1);
  });

  it('auto runs the shard count Discord recommends (GET /gateway/bot)', async () => {
    await fakes();
    rest.recommendedShards = 3;
    const { bot } = await replica({ count: 'auto', ids: undefined });
    expect(gateway.identifies.map((i) => i.shard?.[0]).sort()).toEqual([0, 1, 2]);
    expect(new Set(gateway.identifies.map((i) => i.shard?.[1]))).toEqual(new Set([3]));
    expect(bot.connection()).toBe('connected, shards 0–2 of 3');
  });

  it('without DISCORD_SHARDS one shard runs, as before', async () => {
    await fakes();
    const { bot } = await replica(undefined);
    expect(gateway.identifies).toHaveLength(1);
    expect(bot.connection()).toBe('connected');
  });

  it('replicas that split the shards: only the guild’s shard gets its commands, and a replica without the guild still posts its digest', async () => {
    await fakes();
    const clock = new ManualClock(new Date('2026-11-20T10:00:00Z'));
    const scheduler = new ManualScheduler();
    const other = await replica({ count: 2, ids: [0] }, { clock, scheduler });
    const holder = await replica({ count: 2, ids: [1] });
    expect(other.bot.connection()).toBe('connected, shard 0 of 2');
    expect(holder.bot.connection()).toBe('connected, shard 1 of 2');
    const token = docs();
    await waitFor(() => answered(token).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered(token)).toHaveLength(1);

    // The replica on shard 0 never saw the guild over the gateway; it reads it over REST.
    await other.core.digests.start();
    const set = await other.core.digests.create({ scope: { platform: 'discord', workspace: GUILD, channel: GENERAL }, when: 'daily 09:00', timezone: 'UTC', creator: { id: ANA.id, name: 'Ana' } });
    expect(set.schedule.channels).toEqual([GENERAL]);
    clock.set('2026-11-21T09:00:00Z');
    scheduler.tickAll();
    const post = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && c.path === `/v10/channels/${GENERAL}/messages` && JSON.stringify(c.body).includes('Digest')));
    const content = (post.body as { content: string }).content;
    expect(content).toMatch(/Digest — #general/);
    expect(content).toMatch(/Summary of #general\*\* — 2 messages/);
    expect(content).not.toMatch(/could not be recapped/);
  });
});
