import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBot } from '../../../src/bots/discord/discord-bot.js';
import type { Core } from '../../../src/core/index.js';
import { discordMessage, discordMessages, startFakeDiscordRest, type DiscordCall, type FakeDiscordRest } from '../../fakes/discord-rest-fake.js';
import { startFakeGateway, type FakeGateway } from '../../fakes/discord-gateway-fake.js';
import { startFakeGroq, type FakeGroq } from '../../fakes/groq-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { makePdf, makeScannedPdf, prose } from '../../helpers/pdfs.js';
import { waitFor } from '../../helpers/wait.js';
import { groundedScript, translatingScript } from '../../fakes/chat-script.js';

const TOKEN = 'fake.discord.bot-token';
const APP_ID = '352205866889641984';
const GUILD = '800';
const CHANNEL = '900';
const THREAD = '901';
const HARBOUR = '902';

let rest: FakeDiscordRest;
let gateway: FakeGateway;
let groq: FakeGroq;
let core: Core;
let bot: DiscordBot;
let counter = 0;
const logs: { level: string; obj: object; msg?: string }[] = [];

function interaction(data: object, options: { channelId?: string; permissions?: string; roles?: string[]; type?: number; attachments?: object; userId?: string } = {}) {
  const id = String(817819131540668417n + BigInt(++counter));
  const channelId = options.channelId ?? CHANNEL;
  return {
    id,
    token: `token-${id}`,
    application_id: APP_ID,
    type: options.type ?? 2,
    version: 1,
    guild_id: GUILD,
    channel_id: channelId,
    channel: channelId === THREAD ? { id: THREAD, type: 11, parent_id: CHANNEL, name: 'plans' } : { id: channelId, type: 0, name: channelId === HARBOUR ? 'harbour' : 'general' },
    member: {
      user: { id: options.userId ?? '275616469906358273', username: 'Shadorc', discriminator: '0', avatar: null, global_name: 'Shado' },
      roles: options.roles ?? [],
      permissions: options.permissions ?? '8589934591',
      nick: null,
      joined_at: '2017-07-25T08:09:41.111000+00:00',
      deaf: false,
      mute: false,
      flags: 0,
    },
    data: { id: '817771924460929035', type: 1, ...data, ...(options.attachments ? { resolved: { attachments: options.attachments } } : {}) },
    app_permissions: '8589934591',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD },
    context: 0,
  };
}


const callsFor = (token: string) => rest.calls.filter((c) => c.path.includes(token));
const lastEdit = (token: string) => callsFor(token).filter((c) => c.kind === 'edit').at(-1)?.body as { content?: string } | undefined;
const done = (c: DiscordCall[]) => c.some((x) => x.kind === 'edit' || x.kind === 'followup');

async function slash(name: string, options: object[] = [], extra: Parameters<typeof interaction>[1] = {}) {
  const payload = interaction({ name, options }, extra);
  gateway.dispatch('INTERACTION_CREATE', payload);
  return payload.token;
}

/** A message in #general from Shado with one attached file (mentioning Docent when the content does). */
function messageWithFile(id: string, name: string, size: number, content: string, contentType = 'application/pdf') {
  return discordMessage({
    id,
    channel_id: CHANNEL,
    guild_id: GUILD,
    author: { id: '275616469906358273', username: 'Shadorc', discriminator: '0', avatar: null },
    member: { roles: [], joined_at: '2017-07-25T08:09:41.111000+00:00', deaf: false, mute: false, flags: 0 },
    content,
    mentions: content.includes('<@999>') ? [{ id: '999', username: 'docent', discriminator: '0', avatar: null }] : [],
    attachments: [{ id: `${id}9`, filename: name, size, url: `${rest.url}/cdn/${name}`, proxy_url: `${rest.url}/cdn/${name}`, content_type: contentType }],
  });
}

/** A press of a button under Docent's reply (a component interaction); resolves with Docent's callback. */
async function pressButton(customId: string, content: string | undefined, userId?: string) {
  const payload = {
    ...interaction({}, { type: 3, userId }),
    data: { custom_id: customId, component_type: 2 },
    message: { id: '1300000000000000050', channel_id: CHANNEL, author: { id: '999', username: 'docent', discriminator: '0', avatar: null, bot: true }, content, timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [], pinned: false, type: 0, flags: 0 },
  };
  gateway.dispatch('INTERACTION_CREATE', payload);
  return waitFor(() => callsFor(payload.token).find((c) => c.kind === 'callback'));
}

function attachment(name: string, size: number, host = rest.url) {
  return { id: '1111', filename: name, size, url: `${host}/cdn/${name}`, proxy_url: `${host}/cdn/${name}`, content_type: 'application/pdf' };
}

beforeAll(async () => {
  rest = await startFakeDiscordRest(TOKEN);
  gateway = await startFakeGateway({
    botUser: { id: '999', username: 'docent' },
    applicationId: APP_ID,
    guild: { id: GUILD, name: 'Acme', channels: [{ id: CHANNEL, name: 'general', type: 0 }, { id: THREAD, name: 'plans', type: 11, parent_id: CHANNEL }, { id: HARBOUR, name: 'harbour', type: 0 }] },
  });
  rest.gatewayUrl = gateway.url;
  groq = await startFakeGroq();
  groq.latencyMs = 5;
  core = await startCore(testConfig({ GROQ_API_KEY: groq.apiKey, GROQ_BASE_URL: groq.url, MAX_PDF_MB: '1' }));
  await core.start();
  rest.files.set(
    'rivers.pdf',
    await makePdf([
      { heading: 'Rivers', paragraphs: ['The Danube carries 6,500 cubic metres of water per second at its mouth.'] },
      { heading: 'Lakes', paragraphs: ['Lake Geneva holds 89 cubic kilometres of water.'] },
    ]),
  );
  bot = new DiscordBot({ core, logger: memoryLogger(logs), token: TOKEN, apiUrl: rest.url, messageContent: false, managerRole: 'Librarian', cdnHosts: [new URL(rest.url).host] });
  await bot.start();
});

afterAll(async () => {
  await bot.stop();
  await core.close();
  await gateway.close();
  await rest.close();
  await groq.close();
});

describe('Discord bot (real discord.js against REST and gateway fakes)', () => {
  it('connects with the minimal intents (no Message Content unless configured)', () => {
    // Guilds (1) | GuildMessages (512) | GuildMessageReactions (1024) | DirectMessages (4096)
    expect(gateway.identifies[0]).toMatchObject({ token: TOKEN, intents: 1 | 512 | 1024 | 4096 });
  });

  it('/index file: defers, downloads from the CDN, indexes for the channel and reports', async () => {
    const token = await slash('index', [{ name: 'file', type: 11, value: '1111' }], { attachments: { '1111': attachment('rivers.pdf', rest.files.get('rivers.pdf')?.length ?? 0) } });
    await waitFor(() => done(callsFor(token)) && lastEdit(token)?.content?.startsWith('Indexed'));
    expect(callsFor(token)[0]).toMatchObject({ kind: 'callback', body: { type: 5 } });
    expect(lastEdit(token)?.content).toMatch(/^Indexed 1 of 1 file \(2 pages, \d+ passages\)/);
    expect(rest.downloads).toContain('/cdn/rivers.pdf');
    expect((await core.knowledge.list({ platform: 'discord', workspace: GUILD, channel: CHANNEL })).map((d) => d.name)).toEqual(['rivers.pdf']);
  });

  it('/ask streams by editing the deferred reply, then shows the answer with its sources', async () => {
    groq.latencyMs = 60;
    const token = await slash('ask', [{ name: 'question', type: 3, value: 'How much water does the Danube carry?' }]);
    await waitFor(() => lastEdit(token)?.content?.includes('**Sources**'), 15000);
    groq.latencyMs = 5;
    const edits = callsFor(token).filter((c) => c.kind === 'edit') as { body: { content: string }; at: number }[];
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.slice(0, -1).some((e) => e.body.content.endsWith('▍'))).toBe(true);
    // At most one streaming edit per second (arrival times jitter, so count rather than compare gaps).
    const streaming = edits.slice(0, -1);
    const seconds = ((streaming.at(-1)?.at ?? 0) - (streaming[0]?.at ?? 0)) / 1000;
    expect(streaming.length).toBeLessThanOrEqual(Math.floor(seconds) + 2);
    expect(edits.at(-1)?.body.content).toMatch(/6,500 cubic metres.*\[1\][\s\S]*\*\*Sources\*\*\n\[1\] rivers\.pdf, page 1/);
  });

  it('a question asked in a thread uses the parent channel’s documents', async () => {
    const token = await slash('ask', [{ name: 'question', type: 3, value: 'How much water is in Lake Geneva?' }], { channelId: THREAD });
    await waitFor(() => lastEdit(token)?.content?.includes('**Sources**'), 15000);
    expect(lastEdit(token)?.content).toMatch(/rivers\.pdf, page 2/);
  });

  it('refuses an attachment over MAX_PDF_MB before downloading it, privately', async () => {
    const before = rest.downloads.length;
    const token = await slash('index', [{ name: 'file', type: 11, value: '1111' }], { attachments: { '1111': attachment('huge.pdf', 5 * 1024 * 1024) } });
    const followup = await waitFor(() => callsFor(token).find((c) => c.kind === 'followup'));
    expect(followup.body).toMatchObject({ content: expect.stringContaining('over the limit of 1.0 MB (MAX_PDF_MB)'), flags: 64 });
    expect(callsFor(token).some((c) => c.kind === 'delete')).toBe(true);
    expect(rest.downloads.length).toBe(before);
  });

  it('refuses an attachment that is not on Discord’s CDN', async () => {
    const before = rest.downloads.length;
    const token = await slash('index', [{ name: 'file', type: 11, value: '1111' }], { attachments: { '1111': attachment('evil.pdf', 1000, 'http://evil.example') } });
    const followup = await waitFor(() => callsFor(token).find((c) => c.kind === 'followup'));
    expect((followup.body as { content: string }).content).toContain("only downloads attachments from Discord's CDN");
    expect(rest.downloads.length).toBe(before);
  });

  it('/forget: the person who added a document, or Manage Messages or the manager role; others get a private refusal', async () => {
    const refused = await slash('forget', [{ name: 'document', type: 3, value: 'rivers.pdf' }], { permissions: '0', userId: '333333333333333333' });
    const text = (c: DiscordCall) => JSON.stringify(c.body ?? '');
    const refusal = await waitFor(() => callsFor(refused).find((c) => text(c).includes('who added')));
    expect(text(refusal)).toContain('or someone with the Manage Messages permission or the Librarian role can remove it');
    expect(callsFor(refused).some((c) => (c.body as { flags?: number; data?: { flags?: number } } | undefined)?.flags === 64 || (c.body as { data?: { flags?: number } })?.data?.flags === 64)).toBe(true);
    expect(await core.knowledge.list({ platform: 'discord', workspace: GUILD, channel: CHANNEL })).toHaveLength(1);

    // Its uploader needs no permission to remove their own document.
    rest.files.set('notes.pdf', await makePdf([{ heading: 'Notes', paragraphs: ['Meeting notes about the river survey.'] }]));
    const added = await slash('index', [{ name: 'file', type: 11, value: '2222' }], { permissions: '0', userId: '333333333333333333', attachments: { '2222': { ...attachment('notes.pdf', 2000), id: '2222' } } });
    await waitFor(() => lastEdit(added)?.content?.startsWith('Indexed'), 15000);
    const own = await slash('forget', [{ name: 'document', type: 3, value: 'notes.pdf' }], { permissions: '0', userId: '333333333333333333' });
    await waitFor(() => callsFor(own).some((c) => text(c).includes('Forgot “notes.pdf”')), 15000);
    expect((await core.knowledge.list({ platform: 'discord', workspace: GUILD, channel: CHANNEL })).map((d) => d.name)).toEqual(['rivers.pdf']);
  });

  it('a missing required option is answered privately with the command’s usage, once', async () => {
    const token = await slash('ask', []);
    const reply = await waitFor(() => callsFor(token).find((c) => JSON.stringify(c.body ?? '').includes('question is required')));
    const content = JSON.stringify(reply.body);
    expect(content.match(/Usage:/g)).toHaveLength(1);
    expect(content).toContain('/ask <question>');
  });

  it('an option of another type, or one this version does not declare, is acknowledged: commands out of date, run deploy:discord (logged once)', async () => {
    const warnings = () => logs.filter((l) => l.level === 'warn' && /deploy:discord/.test(l.msg ?? ''));
    const before = warnings().length;
    const wrongType = await slash('ask', [{ name: 'question', type: 4, value: 5 }]);
    const first = await waitFor(() => callsFor(wrongType).find((c) => c.kind === 'callback'));
    expect(first.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('`npm run deploy:discord`') } });
    const undeclared = await slash('ask', [{ name: 'question', type: 3, value: 'How much water?' }, { name: 'verbose', type: 5, value: true }]);
    const second = await waitFor(() => callsFor(undeclared).find((c) => c.kind === 'callback'));
    expect(second.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('out of date') } });
    expect(warnings().length - before).toBe(1);
  });

  it('autocompletes /forget with the channel’s document names', async () => {
    const payload = interaction({ name: 'forget', options: [{ name: 'document', type: 3, value: 'riv', focused: true }] }, { type: 4 });
    gateway.dispatch('INTERACTION_CREATE', payload);
    const callback = await waitFor(() => callsFor(payload.token).find((c) => c.kind === 'callback'));
    expect(callback.body).toEqual({ type: 8, data: { choices: [{ name: 'rivers.pdf', value: 'rivers.pdf' }] } });
  });

  it('splits a long reply into follow-ups under 2,000 characters', async () => {
    groq.script = () => `${prose(5, 60)} [1]`;
    const token = await slash('ask', [{ name: 'question', type: 3, value: 'Tell me everything about the Danube water' }]);
    // The reply is complete when the part with the sources has arrived.
    await waitFor(() => callsFor(token).some((c) => c.kind === 'followup' && JSON.stringify(c.body).includes('**Sources**')), 15000);
    groq.script = (await import('../../fakes/chat-script.js')).groundedScript;
    const final = lastEdit(token)?.content ?? '';
    const followups = callsFor(token).filter((c) => c.kind === 'followup').map((c) => (c.body as { content: string }).content);
    for (const part of [final, ...followups]) expect(part.length).toBeLessThanOrEqual(2000);
    expect(followups.join('')).toContain('**Sources**');
  });

  it('an interaction that fails mid-way gets a private error with a reference, and the bot keeps serving', async () => {
    const list = core.knowledge.list;
    core.knowledge.list = () => {
      throw new Error('disk on fire');
    };
    const broken = await slash('docs');
    const followup = await waitFor(() => callsFor(broken).find((c) => c.kind === 'followup'));
    core.knowledge.list = list;
    expect(followup.body).toMatchObject({ flags: 64, content: expect.stringMatching(/Something went wrong inside Docent \(reference [0-9a-f]{8}\)/) });
    expect(logs.some((l) => l.level === 'error' && (l.obj as { err?: Error }).err?.message === 'disk on fire')).toBe(true);
    const next = await slash('docs');
    await waitFor(() => lastEdit(next)?.content?.includes('rivers.pdf'));
  });

  it('indexes a PDF posted with an @mention, with ⏳ then ✅ and a short reply', async () => {
    rest.files.set('lakes.pdf', await makePdf([{ paragraphs: ['Lake Constance borders three countries.'] }]));
    gateway.dispatch(
      'MESSAGE_CREATE',
      discordMessage({
        id: '1300000000000000001',
        channel_id: CHANNEL,
        guild_id: GUILD,
        author: { id: '275616469906358273', username: 'Shadorc', discriminator: '0', avatar: null },
        member: { roles: [], joined_at: '2017-07-25T08:09:41.111000+00:00', deaf: false, mute: false, flags: 0 },
        content: '<@999> here is the lakes report',
        mentions: [{ id: '999', username: 'docent', discriminator: '0', avatar: null }],
        attachments: [{ id: '2222', filename: 'lakes.pdf', size: rest.files.get('lakes.pdf')?.length ?? 0, url: `${rest.url}/cdn/lakes.pdf`, proxy_url: `${rest.url}/cdn/lakes.pdf`, content_type: 'application/pdf' }],
      }),
    );
    const reply = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && JSON.stringify(c.body).includes('lakes.pdf')));
    const reactions = rest.calls.filter((c) => c.path.includes('1300000000000000001/reactions')).map((c) => `${c.kind}:${(c.body as { emoji: string }).emoji}`);
    expect(reactions[0]).toBe('react:⏳');
    expect(reactions).toContain('react:✅');
    expect((reply.body as { content: string }).content).toMatch(/Indexed lakes\.pdf: 1 page, \d+ passages?\./);
    expect((await core.knowledge.list({ platform: 'discord', workspace: GUILD, channel: CHANNEL })).map((d) => d.name)).toContain('lakes.pdf');
  });

  it('a PDF posted again under its name is a new version: the reply says so, /diff compares the two, /ask version:previous asks the old one', async () => {
    const post = async (id: string, amount: string) => {
      rest.files.set('budget.pdf', await makePdf([{ paragraphs: [`The ferry budget is ${amount} euros for the year.`] }]));
      gateway.dispatch('MESSAGE_CREATE', messageWithFile(id, 'budget.pdf', rest.files.get('budget.pdf')?.length ?? 0, '<@999> the budget'));
      return waitFor(() => rest.calls.find((c) => c.kind === 'message' && c.path.includes(CHANNEL) && JSON.stringify(c.body).includes(id) && JSON.stringify(c.body).includes('budget.pdf')));
    };
    await post('1300000000000000101', '100 thousand');
    const second = await post('1300000000000000102', '250 thousand');
    expect((second.body as { content: string }).content).toMatch(/Indexed budget\.pdf: 1 page, \d+ passages?\. This is a new version of budget\.pdf; the previous one \(added .* by Shado\) is kept\. \/diff budget\.pdf shows what changed\./);

    const diff = await slash('diff', [{ name: 'document', type: 3, value: 'budget.pdf' }]);
    await waitFor(() => lastEdit(diff)?.content?.includes('What changed in budget.pdf'));
    expect(lastEdit(diff)?.content).toContain('__page 1__\n− The ferry budget is 100 thousand euros for the year.\n+ The ferry budget is 250 thousand euros for the year.');

    const asked = await slash('ask', [{ name: 'question', type: 3, value: 'What is the ferry budget?' }, { name: 'version', type: 3, value: 'previous' }]);
    await waitFor(() => lastEdit(asked)?.content?.includes('**Sources**'), 15000);
    expect(lastEdit(asked)?.content).toContain('100 thousand');
    expect(lastEdit(asked)?.content).toMatch(/\[1\] \[budget\.pdf \(previous version\)\]\(.*\), page 1/);
    const current = await slash('ask', [{ name: 'question', type: 3, value: 'What is the ferry budget?' }]);
    await waitFor(() => lastEdit(current)?.content?.includes('**Sources**'), 15000);
    expect(lastEdit(current)?.content).toContain('250 thousand');
  });

  it('a scanned PDF posted with an @mention shows “OCR page n/N” in a status reply that then becomes the result', async () => {
    const picture = await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="300"><rect width="100%" height="100%" fill="white"/><text x="40" y="120" font-family="DejaVu Sans" font-size="56">The ferry leaves at seven</text></svg>')).png().toBuffer();
    rest.files.set('ferry.pdf', await makeScannedPdf('Ferry timetable, typed cover page.', picture));
    gateway.dispatch(
      'MESSAGE_CREATE',
      discordMessage({
        id: '1300000000000000002',
        channel_id: CHANNEL,
        guild_id: GUILD,
        author: { id: '275616469906358273', username: 'Shadorc', discriminator: '0', avatar: null },
        member: { roles: [], joined_at: '2017-07-25T08:09:41.111000+00:00', deaf: false, mute: false, flags: 0 },
        content: '<@999> the ferry timetable',
        mentions: [{ id: '999', username: 'docent', discriminator: '0', avatar: null }],
        attachments: [{ id: '2223', filename: 'ferry.pdf', size: rest.files.get('ferry.pdf')?.length ?? 0, url: `${rest.url}/cdn/ferry.pdf`, proxy_url: `${rest.url}/cdn/ferry.pdf`, content_type: 'application/pdf' }],
      }),
    );
    const status = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && JSON.stringify(c.body).includes('ferry.pdf: OCR page')), 30_000);
    expect((status.body as { content: string }).content).toBe('ferry.pdf: OCR page 2/2');
    const result = await waitFor(() => rest.calls.find((c) => c.kind === 'edit' && c.at >= status.at && JSON.stringify(c.body).includes('Indexed ferry.pdf')), 30_000);
    expect((result.body as { content: string }).content).toMatch(/^Indexed ferry\.pdf: 2 pages, \d+ passages?\.$/);
    expect(result.path).toMatch(new RegExp(`^/v10/channels/${CHANNEL}/messages/\\d+$`));
  }, 60_000);

  it('ignores messages from bots', async () => {
    const before = rest.calls.length;
    gateway.dispatch(
      'MESSAGE_CREATE',
      discordMessage({
        id: '1300000000000000009',
        channel_id: CHANNEL,
        guild_id: GUILD,
        author: { id: '555', username: 'other-bot', discriminator: '0', avatar: null, bot: true },
        content: '<@999> how much water?',
        mentions: [{ id: '999', username: 'docent', discriminator: '0', avatar: null }],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rest.calls.length).toBe(before);
  });
});

describe('Discord bot: feedback, context menus, resilience', () => {
  it('puts 👍/👎 under an answer and records the rating with the question', async () => {
    const token = await slash('ask', [{ name: 'question', type: 3, value: 'How much water does Lake Geneva hold?' }]);
    const final = await waitFor(() => {
      const edit = lastEdit(token) as { content?: string; components?: { components: { custom_id: string }[] }[] } | undefined;
      return edit?.components?.length ? edit : undefined;
    }, 15000);
    const upId = final.components?.[0].components[0].custom_id ?? '';
    expect(upId).toMatch(/^feedback:[0-9a-f-]{36}:up$/);
    const answerId = upId.split(':')[1];
    const callback = await pressButton(upId, final.content);
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('Thanks, noted 👍') } });
    expect(await core.feedback.summary(answerId)).toEqual({ up: 1, down: 0 });
  });

  it('puts Details under an answer: what it sent where, shown privately to the person who asked and to no one else', async () => {
    const token = await slash('ask', [{ name: 'question', type: 3, value: 'How much water does Lake Geneva hold?' }]);
    const final = await waitFor(() => {
      const edit = lastEdit(token) as { content?: string; components?: { components: { custom_id: string; label?: string }[] }[] } | undefined;
      return edit?.components?.length ? edit : undefined;
    }, 15000);
    const details = final.components?.[0].components.find((b) => b.label === 'Details');
    expect(details?.custom_id).toMatch(/^details:[0-9a-f-]{36}$/);
    const press = (userId: string) => pressButton(details?.custom_id ?? '', final.content, userId);
    const mine = await press('275616469906358273');
    expect(mine.body).toMatchObject({ type: 4, data: { flags: 64 } });
    const text = (mine.body as { data: { content: string } }).data.content;
    expect(text).toContain('**What Docent sent, and where** (only you see this)');
    expect(text).toMatch(/• Groq · [\w./-]+: to write the answer, it was sent your question and \d+ passages? of this channel's documents · \d+ tokens in, \d+ out\./);
    expect(text).toMatch(/Passages sent: rivers\.pdf \(page \d\)/);
    expect(text).toContain("Done on this Docent, sending nothing: searching this channel's documents; judging whether the passages cover the question.");
    const theirs = await press('111111111111111111');
    expect(theirs.body).toMatchObject({ type: 4, data: { flags: 64, content: 'Only the person who asked can see what this reply sent where.' } });
  });

  it('/summarize without the Message Content intent says exactly what to enable instead of “no messages”', async () => {
    rest.channels.set(CHANNEL, discordMessages(CHANNEL, GUILD, 6));
    rest.hideContentFrom = '999';
    try {
      const token = await slash('summarize');
      const reply = await waitFor(() => callsFor(token).find((c) => JSON.stringify(c.body ?? '').includes('Message Content Intent')), 10000);
      expect(JSON.stringify(reply.body)).toContain('DISCORD_MESSAGE_CONTENT=true');
      expect(JSON.stringify(callsFor(token))).not.toContain('no messages to summarize');
    } finally {
      rest.hideContentFrom = undefined;
    }
  });

  it('“Summarize thread” on a message summarizes its channel (context menu from the shared definition)', async () => {
    rest.channels.set(CHANNEL, [
      { id: '1300000000000000100', channel_id: CHANNEL, guild_id: GUILD, author: { id: '1', username: 'ana', global_name: 'Ana', discriminator: '0', avatar: null }, content: 'Kiln firing moves to Thursday for the glaze batch.', timestamp: '2026-11-20T09:00:00.000Z', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0 },
      { id: '1300000000000000101', channel_id: CHANNEL, guild_id: GUILD, author: { id: '2', username: 'ben', global_name: 'Ben', discriminator: '0', avatar: null }, content: 'Thursday kiln firing works for the glaze batch.', timestamp: '2026-11-20T09:01:00.000Z', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0 },
    ]);
    const target = rest.channels.get(CHANNEL)?.[1];
    const payload = interaction({ name: 'Summarize thread', type: 3, target_id: target?.id, resolved: { messages: { [target?.id ?? '']: target } } });
    gateway.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitFor(() => lastEdit(payload.token)?.content?.includes('Summary of #general') && lastEdit(payload.token));
    expect(edit?.content).toContain('2 messages, 2 people');
    expect(edit?.content).toContain('https://discord.com/channels/800/900/1300000000000000100');
  });

  it('waits out a REST 429 on an edit and still delivers the reply', async () => {
    rest.rateLimitNext(/\/messages\/@original$/, 1, 0.3);
    const token = await slash('docs');
    const edit = await waitFor(() => lastEdit(token)?.content?.includes('rivers.pdf') && lastEdit(token), 10000);
    expect(edit).toBeTruthy();
  });

  it('keeps serving after the gateway asks it to reconnect', async () => {
    const identified = gateway.identifies.length;
    gateway.requestReconnect();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const token = await slash('docs');
    await waitFor(() => lastEdit(token)?.content?.includes('rivers.pdf'), 10000);
    expect(gateway.identifies.length).toBeGreaterThanOrEqual(identified);
  });
});

describe('Discord bot: follow-ups in a thread', () => {
  it('rewrites a follow-up from the earlier /ask in the same thread', async () => {
    const first = await slash('ask', [{ name: 'question', type: 3, value: 'How much water does the Danube carry?' }], { channelId: THREAD });
    await waitFor(() => lastEdit(first)?.content?.includes('**Sources**'), 15000);
    groq.chats.length = 0;
    const followUp = await slash('ask', [{ name: 'question', type: 3, value: 'and Lake Geneva?' }], { channelId: THREAD });
    await waitFor(() => lastEdit(followUp)?.content?.includes('**Sources**'), 15000);
    expect(groq.chats[0].messages[0].content).toMatch(/standalone search query/);
    expect(groq.chats[0].messages[1].content).toContain('User: How much water does the Danube carry?');
  });

  it('outside threads each person has their own conversation, and an unrelated question is never rewritten', async () => {
    const ask = async (question: string, userId: string) => {
      groq.chats.length = 0;
      const token = await slash('ask', [{ name: 'question', type: 3, value: question }], { userId });
      await waitFor(() => lastEdit(token)?.content?.includes('**Sources**'), 15000);
      return groq.chats.map((chat) => chat.messages);
    };
    await ask('How much water does the Danube carry?', '111111111111111111');
    // Someone else's follow-up in the same channel does not see the first person's question.
    const other = await ask('and Lake Geneva?', '222222222222222222');
    expect(other.some((m) => /standalone search query/.test(m[0]?.content ?? ''))).toBe(false);
    expect(JSON.stringify(other)).not.toContain('Danube carry');
    // The first person's own unrelated question is searched as asked.
    const unrelated = await ask('How much water does Lake Geneva hold?', '111111111111111111');
    expect(unrelated.some((m) => /standalone search query/.test(m[0]?.content ?? ''))).toBe(false);
    // Their follow-up is read with their own last turn.
    const own = await ask('and the Danube?', '111111111111111111');
    expect(own[0]?.[0]?.content).toMatch(/standalone search query/);
    expect(own[0]?.[1]?.content).toContain('User: How much water does Lake Geneva hold?');
  });
});

describe('Discord bot: images', () => {
  const imageMessage = (id: string, name: string, size: number, content = '') => messageWithFile(id, name, size, content, 'image/png');

  it('“Read text” on a message reads its image (offline OCR without a Gemini key)', async () => {
    const sharp = (await import('sharp')).default;
    const png = await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="220"><rect width="100%" height="100%" fill="white"/><text x="30" y="120" font-family="DejaVu Sans" font-size="56" fill="black">Invoice 12345</text></svg>')).png().toBuffer();
    rest.files.set('invoice.png', png);
    const target = imageMessage('1300000000000000300', 'invoice.png', png.length);
    const payload = interaction({ name: 'Read text', type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } });
    gateway.dispatch('INTERACTION_CREATE', payload);
    const edit = await waitFor(() => lastEdit(payload.token)?.content?.includes('Text in invoice.png') && lastEdit(payload.token), 30000);
    expect(edit?.content).toMatch(/Invoice 12345/);
  }, 40000);

  it('/settings alttext on explains that alt text needs the Message Content intent when it is off', async () => {
    const token = await slash('settings', [{ type: 1, name: 'alttext', options: [{ type: 3, name: 'state', value: 'on' }] }]);
    const refusal = await waitFor(() => callsFor(token).find((c) => c.kind === 'followup'));
    expect(refusal.body).toMatchObject({ content: expect.stringMatching(/^✖ Alt text needs .* Message Content intent \(DISCORD_MESSAGE_CONTENT=true/), flags: 64 });
    expect(await core.settings.get({ platform: 'discord', workspace: GUILD, channel: CHANNEL }, 'alttext')).toBe(false);
  });

  it('an image posted with an @mention gets a clear answer when describing needs a key', async () => {
    const png = rest.files.get('invoice.png') ?? Buffer.alloc(0);
    gateway.dispatch('MESSAGE_CREATE', imageMessage('1300000000000000301', 'invoice.png', png.length, '<@999> what is this?'));
    const reply = await waitFor(() => rest.calls.find((c) => c.kind === 'message' && JSON.stringify(c.body).includes('GEMINI_API_KEY')));
    expect((reply.body as { content: string }).content).toContain('Describing images needs a Gemini key');
  });
});

describe('Discord bot: a question in another language', () => {
  it('a German /ask over English documents is searched in English and answered in German, the passages quoted as written', async () => {
    const german = 'Wie viel Kabeljau hat die Fischereiflotte 2023 angelandet?';
    const harbour = await makePdf([{ heading: 'Fisheries', paragraphs: ['In 2023 the fishing fleet landed 18,000 tonnes of cod at the harbour. The catch was sold at the morning auction.'] }]);
    await core.knowledge.ingest({ platform: 'discord', workspace: GUILD, channel: HARBOUR }, { name: 'harbour.pdf', size: harbour.length, read: async () => harbour }, { id: '42', name: 'ana' });
    groq.script = translatingScript({ [german]: 'How much cod did the fishing fleet land in 2023?' });
    try {
      groq.chats.length = 0;
      const token = await slash('ask', [{ name: 'question', type: 3, value: german }], { channelId: HARBOUR });
      const answer = await waitFor(() => lastEdit(token)?.content?.includes('**Sources**') && lastEdit(token)?.content, 15000);
      expect(answer).toContain('harbour.pdf, page 1');
      const prompts = groq.chats.map((chat) => chat.messages.at(-1)?.content ?? '');
      expect(prompts[0]).toBe(`Language: English\nQuestion: ${german}\n\nTranslation:`);
      expect(prompts.at(-1)).toContain('Answer in German, the language of the question. The passages are in English: quote them as they are written.');
    } finally {
      groq.script = groundedScript;
    }
  });
});
