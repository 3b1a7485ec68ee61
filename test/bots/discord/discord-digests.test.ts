import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { Core } from '../../../src/core/index.js';
import { discordMessages, startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { slashCommandInteraction, startFakeGateway, type FakeGateway } from '../../fakes/discord-gateway-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { ManualClock, ManualScheduler } from '../../helpers/digests.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = 'fake.discord.digest-token';
const GUILD = '800';
const [GENERAL, DESIGN, SECRET, OPS] = ['900', '901', '902', '903'];
const VIEW = 1n << 10n;
const SEND = 1n << 11n;
const HISTORY = 1n << 16n;
const MANAGE_CHANNELS = 1n << 4n;
const ANA = { id: '42', username: 'ana', discriminator: '0', avatar: null, global_name: 'Ana' };
let rest: FakeDiscordRest;
let gateway: FakeGateway;
let core: Core;
let bot: DiscordBot;
const clock = new ManualClock(new Date('2026-11-20T10:00:00Z'));
const scheduler = new ManualScheduler();

beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({
    botUser: { id: '999', username: 'docent' },
    applicationId: '1',
    guild: {
      id: GUILD,
      name: 'Acme',
      everyone: String(VIEW | SEND | HISTORY),
      channels: [
        { id: GENERAL, name: 'general', type: 0 },
        { id: DESIGN, name: 'design', type: 0 },
        { id: SECRET, name: 'secret', type: 0, permission_overwrites: [{ id: GUILD, type: 0, allow: '0', deny: String(VIEW) }] },
        { id: OPS, name: 'ops', type: 0 },
      ],
    },
  });
  rest.gatewayUrl = gateway.url;
  rest.members.set(ANA.id, { roles: [] });
  rest.channels.set(GENERAL, discordMessages(GENERAL, GUILD, 4, (i) => ({ content: ['The kiln firing moves to Thursday.', 'Thursday works for the glaze batch.', 'I will book the kiln room.', 'Poster draft is in the drive.'][i] })));
  rest.channels.set(DESIGN, []);
  core = await startCore(testConfig({ DIGEST_TIMEZONE: 'Europe/Brussels' }), { clock, scheduler, embedder: null });
  await core.start();
  bot = new DiscordBot({ core, logger: memoryLogger(), token: TOKEN, apiUrl: rest.url, messageContent: false, managerRole: undefined, cdnHosts: [new URL(rest.url).host] });
  await bot.start();
  await core.digests.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await gateway.close();
  await rest.close();
});

function digest(sub: string, options: { name: string; value: string }[], permissions: bigint) {
  const payload = slashCommandInteraction({ name: 'digest', subcommand: sub, options, guildId: GUILD, channel: { id: GENERAL, name: 'general' }, user: ANA, permissions });
  gateway.dispatch('INTERACTION_CREATE', payload);
  return payload.token;
}

/** The reply to an interaction: its last edit or follow-up, and whether it was private. */
async function reply(token: string): Promise<{ content: string; private: boolean }> {
  const last = await waitFor(() => rest.calls.filter((c) => c.path.includes(token) && (c.kind === 'edit' || c.kind === 'followup')).at(-1));
  const deferred = rest.calls.find((c) => c.path.includes(token) && c.kind === 'callback')?.body as { data?: { flags?: number } } | undefined;
  const flags = ((last.body as { flags?: number }).flags ?? 0) | (deferred?.data?.flags ?? 0);
  return { content: (last.body as { content: string }).content, private: (flags & 64) === 64 };
}

const MANAGER = VIEW | SEND | HISTORY | MANAGE_CHANNELS;
const MEMBER = VIEW | SEND | HISTORY;
let id = '';

describe('Discord: /digest', () => {
  it('setting a digest needs Manage Channels; others are told privately', async () => {
    const refusal = await reply(digest('set', [{ name: 'when', value: 'weekdays 09:00' }], MEMBER));
    expect(refusal).toEqual({ content: '✖ Only people with the Manage Channels permission can set digests.', private: true });
    expect(await core.digests.list({ platform: 'discord', workspace: GUILD, channel: GENERAL })).toHaveLength(0);
  });

  it('refuses a bad schedule with the reason and an example, and a channel its creator cannot read', async () => {
    expect((await reply(digest('set', [{ name: 'when', value: 'weekdays 9 o’clock' }], MANAGER))).content).toMatch(/is not a schedule: .*Try daily 09:00, weekdays 09:00/);
    expect((await reply(digest('set', [{ name: 'when', value: 'daily 09:00' }, { name: 'timezone', value: 'Europe/Atlantis' }], MANAGER))).content).toMatch(/“Europe\/Atlantis” is not a time zone/);
    expect((await reply(digest('set', [{ name: 'when', value: 'daily 09:00' }, { name: 'channels', value: `<#${SECRET}>` }], MANAGER))).content).toMatch(/You cannot read #secret/);
    expect((await reply(digest('set', [{ name: 'when', value: 'daily 09:00' }, { name: 'channels', value: '#secret' }], MANAGER))).content).toMatch(/You cannot read #secret/);
    expect((await reply(digest('set', [{ name: 'when', value: 'daily 09:00' }, { name: 'channels', value: '#nowhere' }], MANAGER))).content).toMatch(/Docent sees no channel called #nowhere here/);
  });

  it('sets a weekday digest of two channels, lists it privately, and previews it privately', async () => {
    const set = await reply(digest('set', [{ name: 'when', value: 'weekdays 09:00' }, { name: 'channels', value: `<#${GENERAL}> <#${DESIGN}> <#${OPS}>` }], MANAGER));
    expect(set.content).toMatch(/^✅ Digest set: `[0-9a-f]{6}` weekdays at 09:00 \(Europe\/Brussels\), recapping #general, #design, #ops — next Monday 23 November at 09:00; set by Ana\./);
    id = /`([0-9a-f]{6})`/.exec(set.content)?.[1] ?? '';
    const list = await reply(digest('list', [], MEMBER));
    expect(list.private).toBe(true);
    expect(list.content).toContain(`\`${id}\` weekdays at 09:00 (Europe/Brussels)`);
    const preview = await reply(digest('now', [], MEMBER));
    expect(preview.private).toBe(true);
    expect(preview.content).toMatch(/📬 \*\*Digest — #general, #design, #ops\*\*/);
  });

  it('without the Message Content intent, a digest says the text is hidden and what to enable, instead of “quiet”', async () => {
    rest.hideContentFrom = '999';
    try {
      const preview = await reply(digest('now', [], MEMBER));
      expect(preview.content).toContain('#general**: ✖ could not be recapped — Discord hides the text of these messages from Docent');
      expect(preview.content).toContain('DISCORD_MESSAGE_CONTENT=true');
      expect(preview.content).not.toMatch(/Quiet since/);
    } finally {
      rest.hideContentFrom = undefined;
    }
  });

  it('posts at the scheduled instant into the channel, with the summary and a failing channel named; the creator hears about it in a DM', async () => {
    clock.set('2026-11-23T08:00:00Z');
    scheduler.tickAll();
    const post = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && c.path === `/v10/channels/${GENERAL}/messages` && JSON.stringify(c.body).includes('Digest')));
    const body = post.body as { content: string; allowed_mentions: { parse: string[] } };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toMatch(/Summary of #general\*\* — 4 messages, 3 people/);
    expect(body.content).toContain(`https://discord.com/channels/${GUILD}/${GENERAL}/`);
    expect(body.content).toContain('**#design**: no messages.');
    expect(body.content).toMatch(/\*\*#ops\*\*: ✖ could not be recapped/);
    // The DM channel is opened after the digest is posted: looked up as the note is awaited.
    const note = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && rest.dms.has(ANA.id) && c.path === `/v10/channels/${rest.dms.get(ANA.id)}/messages`));
    expect((note.body as { content: string }).content).toMatch(/some channels could not be recapped:\n• #ops/);
    scheduler.tickAll();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rest.calls.filter((c) => c.kind === 'message' && c.path === `/v10/channels/${GENERAL}/messages`)).toHaveLength(1);
  });

  it('/digest off needs Manage Channels and stops it', async () => {
    expect((await reply(digest('off', [{ name: 'id', value: id }], MEMBER))).content).toMatch(/Only people with the Manage Channels permission can stop digests/);
    expect((await reply(digest('off', [{ name: 'id', value: id }], MANAGER))).content).toBe(`Digest \`${id}\` (weekdays at 09:00) is off.`);
    expect((await reply(digest('list', [], MEMBER))).content).toMatch(/No digests are posted in this channel/);
  });
});
