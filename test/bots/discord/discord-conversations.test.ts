import fs from 'node:fs';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordConversation } from '../../../src/bots/discord/discord-conversations.js';
import type { ConversationMessage } from '../../../src/core/summarize/types.js';
import { discordMessages, startFakeDiscordRest, type FakeDiscordMessage, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { sharedFile } from '../../helpers/shared.js';
import { renderSummary } from '../../../src/core/summarize/render.js';
import { summaryScript } from '../../fakes/chat-script.js';
import { startFakeGemini } from '../../fakes/gemini-fake.js';
import { startCore, testConfig } from '../../helpers/core.js';

const TOKEN = 'fake.discord.token';
let discord: FakeDiscordRest;
let rest: REST;

beforeAll(async () => {
  discord = await startFakeDiscordRest(TOKEN);
  rest = new REST({ version: '10', api: discord.url, retries: 0 }).setToken(TOKEN);
});
afterAll(() => discord.close());

async function read(source: ReturnType<typeof discordConversation>, options: { limit: number; since?: Date }) {
  const window = await source.messages(options);
  const all: ConversationMessage[] = [];
  for await (const page of window.pages) all.push(...page);
  return { capped: window.capped, messages: all };
}

const ref = { channelId: '900', guildId: '800', label: '#general', botUserId: '999' };

describe('Discord channel history', () => {
  it('pages back with `before` until the limit and hands messages over oldest first', async () => {
    discord.channels.set('900', discordMessages('900', '800', 250));
    discord.requests.length = 0;
    const { capped, messages } = await read(discordConversation(rest, ref), { limit: 120 });
    expect(capped).toBe(true);
    expect(messages).toHaveLength(120);
    expect(messages[0].text).toBe('message 130');
    expect(messages[119].text).toBe('message 249');
    const calls = discord.requests.map((r) => Object.fromEntries(r.query));
    expect(calls).toEqual([{ limit: '100' }, { limit: '100', before: discord.channels.get('900')?.[150].id }]);
  });

  it('without the Message Content intent, blank messages from people are reported as hidden text, not summarized as nothing', async () => {
    discord.channels.set('905', discordMessages('905', '800', 6));
    discord.hideContentFrom = '999';
    try {
      await expect(read(discordConversation(rest, { ...ref, channelId: '905' }), { limit: 100 })).rejects.toMatchObject({
        code: 'message_content_intent',
        userMessage: expect.stringContaining('Message Content Intent'),
      });
      // With the intent configured, Discord would send the text: nothing is judged hidden.
      await expect(read(discordConversation(rest, { ...ref, channelId: '905', messageContent: true }), { limit: 100 })).resolves.toMatchObject({ capped: false });
    } finally {
      discord.hideContentFrom = undefined;
    }
    // A message that is only a file is not hidden text.
    const mixed = discordMessages('906', '800', 4, (i) => (i === 0 ? { content: '', attachments: [{ id: '9', filename: 'plan.pdf', size: 10, url: 'u', proxy_url: 'p' }] } : {}));
    discord.channels.set('906', mixed);
    await expect(read(discordConversation(rest, { ...ref, channelId: '906' }), { limit: 100 })).resolves.toMatchObject({ capped: false });
  });

  it('reads a whole short channel, and stops at `since`', async () => {
    discord.channels.set('901', discordMessages('901', '800', 30));
    const all = await read(discordConversation(rest, { ...ref, channelId: '901' }), { limit: 100 });
    expect(all).toMatchObject({ capped: false });
    expect(all.messages).toHaveLength(30);
    const recent = await read(discordConversation(rest, { ...ref, channelId: '901' }), { limit: 100, since: new Date(Date.UTC(2026, 10, 20, 9, 0, 25)) });
    expect(recent.messages.map((m) => m.text)).toEqual(['message 25', 'message 26', 'message 27', 'message 28', 'message 29']);
  });

  it('uses display names, resolves mentions, flags bots and Docent, and links every message', async () => {
    const special: Partial<FakeDiscordMessage>[] = [
      { content: 'Hi <@101>, see the file', mentions: [{ id: '101', username: 'ben', global_name: 'Ben B.', discriminator: '0', avatar: null }], attachments: [{ id: '1', filename: 'plan.pdf', size: 10, url: 'u', proxy_url: 'p' }] },
      { author: { id: '555', username: 'ci-bot', discriminator: '0', avatar: null, bot: true } },
      { author: { id: '999', username: 'docent', discriminator: '0', avatar: null, bot: true } },
    ];
    discord.channels.set('902', discordMessages('902', '800', 3, (i) => special[i]));
    const { messages } = await read(discordConversation(rest, { ...ref, channelId: '902' }), { limit: 10 });
    expect(messages[0]).toMatchObject({ text: 'Hi @Ben B., see the file [attached: plan.pdf]', author: { name: 'Ana', bot: false }, fromDocent: false });
    expect(messages[0].link).toBe(`https://discord.com/channels/800/902/${messages[0].id}`);
    expect(messages[1]).toMatchObject({ author: { name: 'ci-bot', bot: true }, fromDocent: false });
    expect(messages[2]).toMatchObject({ fromDocent: true });
  });

  const recordedFile = sharedFile('specs', 'payloads', 'discord-message-create-gateway.json');
  it.runIf(recordedFile)('reads the recorded MESSAGE_CREATE payload shape', async () => {
    const file = recordedFile ?? '';
    const recorded = (JSON.parse(fs.readFileSync(file, 'utf8')) as { d: FakeDiscordMessage }).d;
    discord.channels.set(recorded.channel_id, [recorded]);
    const { messages } = await read(discordConversation(rest, { ...ref, channelId: recorded.channel_id, guildId: recorded.guild_id }), { limit: 10 });
    expect(messages).toEqual([
      expect.objectContaining({ id: '732582724170285086', text: '.ping', author: { id: '562268917771413264', name: 'Username', bot: false }, link: `https://discord.com/channels/694205451682978886/727947198481956945/732582724170285086` }),
    ]);
  });
});

describe('summarizing a Discord channel', () => {
  it('links each summary item back to its Discord message', async () => {
    const gemini = await startFakeGemini();
    gemini.script = summaryScript;
    const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
    await core.start();
    const texts = ['Kickoff for the tile order.', 'We agreed on blue glaze.', 'I will call the supplier by Monday.'];
    discord.channels.set('903', discordMessages('903', '800', 3, (i) => ({ content: texts[i] })));
    const result = await core.summaries.summarize(discordConversation(rest, { ...ref, channelId: '903' }), { limit: 50 });
    const ids = discord.channels.get('903')?.map((m) => m.id) ?? [];
    expect(renderSummary(result)).toContain(`• We agreed on blue glaze. — [Ben 09:00](https://discord.com/channels/800/903/${ids[1]})`);
    await core.close();
    await gemini.close();
  });
});
