import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { Core } from '../../../src/core/index.js';
import { discordMessage, startFakeDiscordRest, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { startFakeGateway, type FakeGateway } from '../../fakes/discord-gateway-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { makePdf } from '../../helpers/pdfs.js';
import { waitFor } from '../../helpers/wait.js';

const TOKEN = 'fake.discord.mc-token';
let rest: FakeDiscordRest;
let gateway: FakeGateway;
let core: Core;
let bot: DiscordBot;

beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({ botUser: { id: '999', username: 'docent' }, applicationId: '1', guild: { id: '800', name: 'Acme', channels: [{ id: '900', name: 'general', type: 0 }] } });
  rest.gatewayUrl = gateway.url;
  core = await startCore(testConfig());
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

function post(id: string, filename: string, size: number) {
  gateway.dispatch(
    'MESSAGE_CREATE',
    discordMessage({
      id,
      channel_id: '900',
      guild_id: '800',
      author: { id: '42', username: 'ana', discriminator: '0', avatar: null },
      member: { roles: [], joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
      content: 'minutes from today',
      attachments: [{ id: `${id}1`, filename, size, url: `${rest.url}/cdn/${filename}`, proxy_url: `${rest.url}/cdn/${filename}`, content_type: 'application/pdf' }],
    }),
  );
}


describe('Discord bot with the Message Content intent', () => {
  it('asks for the intent, and indexes a PDF posted without a mention, linking citations to the message', async () => {
    expect(gateway.identifies[0].intents & 32768).toBe(32768);
    rest.files.set('minutes.pdf', await makePdf([{ paragraphs: ['The board approved the new reading room on Monday.'] }]));
    post('1300000000000000201', 'minutes.pdf', rest.files.get('minutes.pdf')?.length ?? 0);
    await waitFor(() => rest.calls.some((c) => c.kind === 'react' && (c.body as { emoji: string }).emoji === '✅'));
    const result = await core.answers.answer({ platform: 'discord', workspace: '800', channel: '900' }, 'reading room approved');
    expect(result.citations[0]).toMatchObject({ file: 'minutes.pdf', link: 'https://discord.com/channels/800/900/1300000000000000201' });
  });

  it('marks a PDF it cannot read with ❌ and replies with the reason', async () => {
    rest.files.set('broken.pdf', Buffer.from('%PDF-1.7\nthis is not really a pdf'));
    post('1300000000000000202', 'broken.pdf', 40);
    const reply = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && JSON.stringify(c.body).includes('broken.pdf')));
    expect((reply.body as { content: string }).content).toMatch(/Docent can't index “broken\.pdf”: it is damaged/);
    expect(rest.calls.some((c) => c.path.includes('1300000000000000202') && c.kind === 'react' && (c.body as { emoji: string }).emoji === '❌')).toBe(true);
  });
});
