import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { Core } from '../../../src/core/index.js';
import { discordMessage, startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { slashCommandInteraction, startFakeGateway, type FakeGateway } from '../../fakes/discord-gateway-fake.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { makeMp4, makeWebm } from '../../helpers/video-clips.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = 'fake.discord.video-token';
const GUILD = '800';
const CHANNEL = '900';
const DM = '950';
const ME = { id: '42', username: 'ana', discriminator: '0', avatar: null };
const MEMBER = { roles: [], joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 };
let rest: FakeDiscordRest;
let gateway: FakeGateway;
let gemini: FakeGemini;
let core: Core;
let bot: DiscordBot;

const CLIPS: Record<string, { data: Buffer; type: string }> = {
  'goal.mp4': { data: makeMp4({ seconds: 12, bytes: 30_000 }), type: 'video/mp4' },
  'phone.mov': { data: makeMp4({ seconds: 6, quicktime: true }), type: 'video/quicktime' },
  'screen.webm': { data: makeWebm({ seconds: 40, withDuration: false, bytes: 300_000 }), type: 'video/webm' },
  'lecture.mp4': { data: makeMp4({ seconds: 3 * 3600 }), type: 'video/mp4' },
};

beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({ botUser: { id: '999', username: 'docent' }, applicationId: '1', guild: { id: GUILD, name: 'Acme', channels: [{ id: CHANNEL, name: 'general', type: 0 }] } });
  rest.gatewayUrl = gateway.url;
  gemini = await startFakeGemini();
  gemini.filesApi.processingReads = 1;
  gemini.script = ({ user }) =>
    user.includes('question about the video clip') ? 'The goal is scored at 0:09, from a header.' : user.includes('one short caption') ? 'A header into the top corner.' : 'A phone video of a kitchen (0:00–0:06).';
  // Clips above 128 KB go through the Files API.
  core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, VIDEO_INLINE_MB: '0.125', VIDEO_MAX_SECONDS: '600' }));
  await core.start();
  for (const [name, clip] of Object.entries(CLIPS)) rest.files.set(name, clip.data);
  bot = new DiscordBot({ core, logger: memoryLogger(), token: TOKEN, apiUrl: rest.url, messageContent: true, managerRole: undefined, cdnHosts: [new URL(rest.url).host] });
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await gateway.close();
  await rest.close();
  await gemini.close();
});

const attachment = (id: string, name: string) => ({ id, filename: name, size: CLIPS[name].data.length, url: `${rest.url}/cdn/${name}`, proxy_url: `${rest.url}/cdn/${name}`, content_type: CLIPS[name].type });

function postClip(id: string, name: string, options: { content?: string; dm?: boolean } = {}) {
  gateway.dispatch(
    'MESSAGE_CREATE',
    discordMessage({
      id,
      channel_id: options.dm ? DM : CHANNEL,
      ...(options.dm ? { channel_type: 1 } : { channel_type: 0, guild_id: GUILD, member: MEMBER }),
      author: ME,
      content: options.content ?? '',
      mentions: options.content?.includes('<@999>') ? [{ id: '999', username: 'docent', discriminator: '0', avatar: null }] : [],
      attachments: [attachment(`${id}1`, name)],
    }),
  );
}

const replyTo = (id: string) => rest.calls.find((c) => c.kind === 'message' && JSON.stringify(c.body).includes(id))?.body as { content: string } | undefined;
type Part = { text?: string; inlineData?: { mimeType: string }; fileData?: { mimeType?: string } };
const lastParts = () => (gemini.chats.at(-1)?.body.contents[0].parts ?? []) as Part[];

describe('Discord: video clips', () => {
  it('a clip posted with a mention and a question is answered from the clip, sent inline', async () => {
    postClip('1500000000000000001', 'goal.mp4', { content: '<@999> when is the goal scored?' });
    const reply = await waitFor(() => replyTo('1500000000000000001'));
    expect(reply.content).toContain('The goal is scored at 0:09');
    const [video, prompt] = lastParts();
    expect(video.inlineData?.mimeType).toBe('video/mp4');
    expect(prompt.text).toContain('when is the goal scored?');
  });

  it('a .mov sent in a DM is described without a mention, as QuickTime', async () => {
    postClip('1500000000000000002', 'phone.mov', { dm: true });
    const reply = await waitFor(() => replyTo('1500000000000000002'));
    expect(reply.content).toContain('A phone video of a kitchen');
    expect(lastParts()[0].inlineData?.mimeType).toBe('video/mov');
  });

  it('/caption with a larger clip uploads it with the Files API and deletes it after', async () => {
    const payload = slashCommandInteraction({
      name: 'caption',
      options: [{ name: 'image', value: '88', type: 11 }],
      attachments: { '88': attachment('88', 'screen.webm') },
      guildId: GUILD,
      channel: { id: CHANNEL, name: 'general' },
      user: ME,
      permissions: 1n << 10n,
    });
    gateway.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitFor(() => rest.calls.find((c) => c.path.includes(payload.token) && c.kind === 'edit' && JSON.stringify(c.body).includes('header')));
    expect(JSON.stringify(edit.body)).toContain('A header into the top corner.');
    expect(lastParts()[0].fileData?.mimeType).toBe('video/webm');
    expect(gemini.filesApi.chunks.at(-1)?.command).toBe('upload, finalize');
    expect(gemini.filesApi.files.size).toBe(0);
  });

  it('a clip over VIDEO_MAX_SECONDS gets a clear refusal, and nothing is sent to Gemini', async () => {
    const before = gemini.chats.length;
    postClip('1500000000000000003', 'lecture.mp4', { content: '<@999>' });
    const reply = await waitFor(() => replyTo('1500000000000000003'));
    expect(reply.content).toContain('“lecture.mp4” runs 3:00:00; Docent watches clips up to 10:00 (VIDEO_MAX_SECONDS)');
    expect(gemini.chats.length).toBe(before);
  });

  it('a clip posted without a mention in a channel is left alone', async () => {
    postClip('1500000000000000004', 'goal.mp4');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(replyTo('1500000000000000004')).toBeUndefined();
  });
});
