import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { Core } from '../../../src/core/index.js';
import { discordMessage, startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { slashCommandInteraction, startFakeGateway, type FakeGateway } from '../../fakes/discord-gateway-fake.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = 'fake.discord.images-token';
const GUILD = '800';
const CHANNEL = '900';
const DM = '950';
const ME = { id: '42', username: 'ana', discriminator: '0', avatar: null };
let rest: FakeDiscordRest;
let gateway: FakeGateway;
let gemini: FakeGemini;
let core: Core;
let bot: DiscordBot;
const logs: { level: string; obj: object; msg?: string }[] = [];

beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({ botUser: { id: '999', username: 'docent' }, applicationId: '1', guild: { id: GUILD, name: 'Acme', channels: [{ id: CHANNEL, name: 'general', type: 0 }] } });
  rest.gatewayUrl = gateway.url;
  gemini = await startFakeGemini();
  gemini.script = ({ user }) =>
    user.includes('Describe this image')
      ? 'A red square on a white background.'
      : user.includes('one short caption')
        ? 'Red square.'
        : user.includes('box_2d')
          ? JSON.stringify([{ label: 'square', box_2d: [100, 100, 900, 900] }])
          : 'It is red.';
  core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
  await core.start();
  rest.files.set('square.png', await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } }).png().toBuffer());
  bot = new DiscordBot({ core, logger: memoryLogger(logs), token: TOKEN, apiUrl: rest.url, messageContent: true, managerRole: undefined, cdnHosts: [new URL(rest.url).host] });
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await gateway.close();
  await rest.close();
  await gemini.close();
});

function postImage(id: string, options: { channel?: string; guild?: string | null; content?: string } = {}) {
  const size = rest.files.get('square.png')?.length ?? 0;
  gateway.dispatch(
    'MESSAGE_CREATE',
    discordMessage({
      id,
      channel_id: options.channel ?? CHANNEL,
      // The gateway names the channel type; a DM (type 1) has no guild and no member.
      ...(options.guild === null ? { channel_type: 1 } : { channel_type: 0, guild_id: options.guild ?? GUILD, member: { roles: [], joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 } }),
      author: ME,
      content: options.content ?? '',
      mentions: options.content?.includes('<@999>') ? [{ id: '999', username: 'docent', discriminator: '0', avatar: null }] : [],
      attachments: [{ id: `${id}1`, filename: 'square.png', size, url: `${rest.url}/cdn/square.png`, proxy_url: `${rest.url}/cdn/square.png`, content_type: 'image/png' }],
    }),
  );
}

function settings(state: 'on' | 'off', permissions: bigint) {
  const payload = slashCommandInteraction({ name: 'settings', subcommand: 'alttext', options: [{ name: 'state', value: state }], guildId: GUILD, channel: { id: CHANNEL, name: 'general' }, user: ME, permissions });
  gateway.dispatch('INTERACTION_CREATE', payload);
  return payload.token;
}

const repliesTo = (id: string) => rest.calls.filter((c) => c.kind === 'message' && JSON.stringify(c.body).includes(id));
const text = (token: string) => {
  const calls = rest.calls.filter((c) => c.path.includes(token));
  const last = calls.filter((c) => c.kind === 'edit' || c.kind === 'callback' || c.kind === 'followup').at(-1)?.body as { content?: string; data?: { content?: string } } | undefined;
  return last?.content ?? last?.data?.content;
};
const VIEW_ONLY = 1n << 10n; // View Channel, no Manage Channels
const MANAGE_CHANNELS = (1n << 4n) | (1n << 10n);

describe('Discord: /caption and mode words', () => {
  it('/caption detect replies with the list and the annotated image attached', async () => {
    const size = rest.files.get('square.png')?.length ?? 0;
    const payload = slashCommandInteraction({
      name: 'caption',
      options: [{ name: 'image', value: '77', type: 11 }, { name: 'mode', value: 'detect' }, { name: 'question', value: 'squares' }],
      attachments: { '77': { id: '77', filename: 'square.png', size, url: `${rest.url}/cdn/square.png`, proxy_url: `${rest.url}/cdn/square.png`, content_type: 'image/png' } },
      guildId: GUILD,
      channel: { id: CHANNEL, name: 'general' },
      user: ME,
      permissions: VIEW_ONLY,
    });
    gateway.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitFor(() => rest.calls.find((c) => c.path.includes(payload.token) && c.kind === 'edit'));
    // With a file, discord.js sends multipart: the JSON part names the attachment, the file part carries the PNG.
    const raw = String(edit.body);
    expect(raw).toContain('filename="square-annotated.png"');
    expect(raw).toContain('Content-Type: image/png');
    expect(raw).toMatch(/square/);
  });

  it('an @mention with “segment squares” gets the list and the segmented image attached', async () => {
    postImage('1400000000000000011', { content: '<@999> segment squares' });
    const reply = await waitFor(() => repliesTo('1400000000000000011')[0]);
    const raw = String(reply.body);
    expect(raw).toContain('filename="square-segmented.png"');
    expect(raw).toContain('1. squares');
  });

  it('an @mention with “caption” gets the one-line caption', async () => {
    postImage('1400000000000000010', { content: '<@999> caption' });
    const reply = await waitFor(() => repliesTo('1400000000000000010')[0]);
    expect((reply.body as { content: string }).content).toBe('Red square.');
  });
});

describe('Discord: alt text per channel and images in DMs', () => {
  it('an image posted without a mention is left alone while alt text is off', async () => {
    postImage('1400000000000000001');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(repliesTo('1400000000000000001')).toHaveLength(0);
  });

  it('/settings alttext on needs Manage Channels; others are told what it takes, privately', async () => {
    const token = settings('on', VIEW_ONLY);
    const refusal = await waitFor(() => text(token));
    expect(refusal).toMatch(/Only people with the Manage Channels permission can change how this channel handles images/);
    expect(await core.settings.get({ platform: 'discord', workspace: GUILD, channel: CHANNEL }, 'alttext')).toBe(false);
  });

  it('with alt text on, every image posted gets a description under it; off stops it', async () => {
    const on = settings('on', MANAGE_CHANNELS);
    expect(await waitFor(() => text(on)?.includes('Alt text is on') && text(on))).toMatch(/describe every image/);
    postImage('1400000000000000002');
    const reply = await waitFor(() => repliesTo('1400000000000000002')[0]);
    expect((reply.body as { content: string }).content).toBe('A red square on a white background.');
    expect((reply.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe('1400000000000000002');

    const off = settings('off', MANAGE_CHANNELS);
    await waitFor(() => text(off)?.includes('Alt text is off'));
    postImage('1400000000000000003');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(repliesTo('1400000000000000003')).toHaveLength(0);
  });

  it('an image sent in a DM is described without a mention, and a question with it is answered', async () => {
    postImage('1400000000000000004', { channel: DM, guild: null });
    const described = await waitFor(() => repliesTo('1400000000000000004')[0]);
    expect((described.body as { content: string }).content).toBe('A red square on a white background.');
    postImage('1400000000000000005', { channel: DM, guild: null, content: 'what colour is it?' });
    const answered = await waitFor(() => repliesTo('1400000000000000005')[0]);
    expect((answered.body as { content: string }).content).toBe('It is red.');
    expect(JSON.stringify(gemini.chats.at(-1)?.body)).toContain('what colour is it?');
  });
});
