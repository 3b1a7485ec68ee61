import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { Core } from '../../../src/core/index.js';
import { guildChannels, guildObject, slashCommandInteraction, startFakeGateway, type FakeGateway } from '../../fakes/discord-gateway-fake.js';
import { discordMessage, startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { ManualClock } from '../../helpers/digests.js';
import { makePdf } from '../../helpers/pdfs.js';
import { waitFor } from '../../helpers/wait.js';

// A PDF's message deleted on Discord (MESSAGE_DELETE, MESSAGE_DELETE_BULK: ids only, as Discord
// sends them for messages the bot has not cached) forgets the document in its channel.

const TOKEN = 'fake.discord.deletions';
const GUILD = '800';
const [GENERAL, THREAD] = ['900', '950'];
const ANA = { id: '275616469906358273', username: 'ana', discriminator: '0', avatar: null };
const here = { platform: 'discord', workspace: GUILD, channel: GENERAL };
let rest: FakeDiscordRest;
let gateway: FakeGateway;
let core: Core;
let bot: DiscordBot;
const clock = new ManualClock(new Date('2027-01-01T09:00:00Z'));
const guild = { id: GUILD, name: 'Acme', everyone: String((1n << 10n) | (1n << 11n) | (1n << 16n)), channels: [{ id: GENERAL, name: 'general', type: 0 }, { id: THREAD, name: 'plans', type: 11, parent_id: GENERAL }, { id: '960', name: 'old-news', type: 0 }] };

beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({
    botUser: { id: '999', username: 'docent' },
    applicationId: '1',
    guild,
  });
  rest.gatewayUrl = gateway.url;
  core = await startCore(testConfig({ CHANNEL_PURGE_DAYS: '7' }), { embedder: null, clock });
  await core.start();
  bot = new DiscordBot({ core, logger: memoryLogger(), token: TOKEN, apiUrl: rest.url, messageContent: true, managerRole: undefined, cdnHosts: [new URL(rest.url).host] });
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await gateway.close();
  await rest.close();
});

async function post(messageId: string, name: string, text: string, channel = GENERAL, listedIn = here): Promise<void> {
  rest.files.set(name, await makePdf([{ paragraphs: [text] }]));
  gateway.dispatch(
    'MESSAGE_CREATE',
    discordMessage({
      id: messageId,
      channel_id: channel,
      guild_id: GUILD,
      author: ANA,
      member: { roles: [], joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
      attachments: [{ id: `a${messageId}`, filename: name, size: rest.files.get(name)?.length ?? 0, url: `${rest.url}/cdn/${name}`, proxy_url: `${rest.url}/cdn/${name}`, content_type: 'application/pdf' }],
    }),
  );
  await waitFor(async () => (await core.knowledge.list(listedIn)).some((d) => d.name === name));
}
const names = async () => (await core.knowledge.list(here)).map((d) => d.name).sort();

describe('Discord: deleting the message a PDF was posted in', () => {
  it('forgets that document (MESSAGE_DELETE), and only it', async () => {
    await post('1300000000000000101', 'dues.pdf', 'Harbour dues rose by four percent.');
    await post('1300000000000000102', 'pilots.pdf', 'Pilots board at the outer buoy.');
    // /docs links each document to the message it came in.
    const docs = slashCommandInteraction({ name: 'docs', guildId: GUILD, channel: { id: GENERAL, name: 'general' }, user: ANA, permissions: 1n << 10n });
    gateway.dispatch('INTERACTION_CREATE', docs);
    const listed = await waitFor(() => rest.calls.filter((c) => c.path.includes(docs.token) && (c.kind === 'edit' || c.kind === 'followup')).at(-1));
    expect((listed.body as { content: string }).content).toContain(`[pilots.pdf](https://discord.com/channels/${GUILD}/${GENERAL}/1300000000000000102)`);
    gateway.dispatch('MESSAGE_DELETE', { id: '1300000000000000101', channel_id: GENERAL, guild_id: GUILD });
    await waitFor(async () => !(await names()).includes('dues.pdf'));
    expect(await names()).toEqual(['pilots.pdf']);
    // A message without documents deleted: nothing happens.
    gateway.dispatch('MESSAGE_DELETE', { id: '1300000000000000199', channel_id: GENERAL, guild_id: GUILD });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await names()).toEqual(['pilots.pdf']);
  });

  it('a bulk delete (MESSAGE_DELETE_BULK) forgets each; a PDF posted in a thread belongs to its parent channel', async () => {
    await post('1300000000000000201', 'tides.pdf', 'High tide is at 06:12.', THREAD);
    expect(await names()).toContain('tides.pdf');
    gateway.dispatch('MESSAGE_DELETE_BULK', { ids: ['1300000000000000102', '1300000000000000201'], channel_id: GENERAL, guild_id: GUILD });
    await waitFor(async () => (await names()).length === 0);
  });

  it('with /settings forgetdeleted off the channel keeps the document', async () => {
    await core.settings.set(here, 'forgetdeleted', false, { id: ANA.id, name: 'Ana' });
    await post('1300000000000000301', 'berths.pdf', 'Berth 4 takes ships of 300 metres.');
    gateway.dispatch('MESSAGE_DELETE', { id: '1300000000000000301', channel_id: GENERAL, guild_id: GUILD });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await names()).toEqual(['berths.pdf']);
    await core.settings.set(here, 'forgetdeleted', true, { id: ANA.id, name: 'Ana' });
  });
});

describe('Discord: channels and servers Docent leaves', () => {
  const later = (days: number) => clock.set(new Date(clock.now().getTime() + days * 86_400_000));
  const old = { platform: 'discord', workspace: GUILD, channel: '960' };

  it('a deleted channel’s documents are purged CHANNEL_PURGE_DAYS later', async () => {
    await post('1300000000000000401', 'archive.pdf', 'The 1990 harbour archive.', '960', old);
    expect((await core.knowledge.list(old)).map((d) => d.name)).toEqual(['archive.pdf']);
    gateway.dispatch('CHANNEL_DELETE', { id: '960', type: 0, guild_id: GUILD, name: 'old-news', position: 2, permission_overwrites: [] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await core.lifecycle.sweep()).purged).toBe(0);
    later(8);
    expect((await core.lifecycle.sweep()).purged).toBe(1);
    expect(await core.knowledge.list(old)).toEqual([]);
  });

  it('removed from the server, then added back within the grace period: nothing is purged', async () => {
    const names = async () => (await core.knowledge.list(here)).map((d) => d.name);
    expect(await names()).toEqual(['berths.pdf']);
    gateway.dispatch('GUILD_DELETE', { id: GUILD });
    await new Promise((resolve) => setTimeout(resolve, 200));
    later(3);
    gateway.dispatch('GUILD_CREATE', { ...guildObject(guild), joined_at: '2027-01-04T00:00:00.000Z', large: false, unavailable: false, member_count: 3, members: [], threads: [], presences: [], voice_states: [], channels: guildChannels(guild) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    later(10);
    expect((await core.lifecycle.sweep()).purged).toBe(0);
    expect(await names()).toEqual(['berths.pdf']);
    // Removed for good: after the grace period every channel of the server is purged.
    gateway.dispatch('GUILD_DELETE', { id: GUILD });
    await new Promise((resolve) => setTimeout(resolve, 200));
    later(8);
    expect((await core.lifecycle.sweep()).purged).toBe(1);
    expect(await names()).toEqual([]);
  });
});

