import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { startFakeGroq, type FakeGroq } from '../../fakes/groq-fake.js';
import { translatingScript } from '../../fakes/chat-script.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { makePdf, makeScannedPdf } from '../../helpers/pdfs.js';
import { sharedFile } from '../../helpers/shared.js';
import { waitFor } from '../../helpers/wait.js';
import { eventEnvelope, SLACK_SECRET as SECRET, shortcutBody, slackPoster, slackSignature, slashCommandBody, triggerId } from '../../helpers/slack.js';

let slack: FakeSlackApi;
let groq: FakeGroq;
let core: Core;
let bot: SlackBot;
const post = slackPoster(() => bot.port);
const sign = slackSignature;
const slashCommand = (command: string, text: string, channel = 'C1') => slashCommandBody(slack, command, text, channel);

const posted = (method: string, predicate: (args: Record<string, string>) => boolean = () => true) => slack.posts.filter((p) => p.method === method && predicate(p.args));

beforeAll(async () => {
  slack = await startFakeSlackApi();
  slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
  groq = await startFakeGroq();
  core = await startCore(testConfig({ GROQ_API_KEY: groq.apiKey, GROQ_BASE_URL: groq.url }));
  await core.start();
  bot = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, fileHosts: [new URL(slack.url).host] });
  await bot.start();
  slack.files.set('budget.pdf', await makePdf([{ heading: 'Budget', paragraphs: ['The museum budget was 5 million euros in 2023.'] }]));
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await slack.close();
  await groq.close();
});
beforeEach(() => {
  slack.posts.length = 0;
});

/** A file_share event as Slack sends it; the file object says a PDF unless `type` says otherwise. */
function fileShare(name: string, ts: string, type: { mimetype: string; filetype: string; size?: number } = { mimetype: 'application/pdf', filetype: 'pdf' }) {
  const size = type.size ?? slack.files.get(name)?.length ?? 100;
  return eventEnvelope({
    type: 'message',
    subtype: 'file_share',
    channel: 'C1',
    channel_type: 'channel',
    user: 'U1',
    ts,
    text: '',
    files: [{ id: 'F1', name, title: name, mimetype: type.mimetype, filetype: type.filetype, size, url_private: `${slack.url}/files/${name}`, url_private_download: `${slack.url}/files/${name}`, permalink: `https://acme.slack.com/files/U1/F1/${name}` }],
  });
}
const HTML_FILE = { mimetype: 'text/html', filetype: 'html' };

describe('Slack bot (Bolt’s real HTTP receiver against a Web API fake)', () => {
  it('answers /healthz', async () => {
    const response = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(response.status).toBe(200);
  });

  it('a shared PDF is downloaded with the bot token, indexed, and marked with reactions and a threaded reply', async () => {
    const response = await post(fileShare('budget.pdf', '1700000100.000100'), 'application/json');
    expect(response.status).toBe(200);
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('budget.pdf'))[0]);
    expect(reply.args).toMatchObject({ channel: 'C1', thread_ts: '1700000100.000100' });
    expect(reply.args.text).toMatch(/Indexed budget\.pdf: 1 page, \d+ passages?\./);
    expect(slack.downloads.at(-1)).toEqual({ path: '/files/budget.pdf', authorization: `Bearer ${slack.token}` });
    expect(posted('reactions.add').map((p) => p.args.name)).toEqual(['hourglass_flowing_sand', 'white_check_mark']);
    expect(posted('reactions.remove').map((p) => p.args.name)).toEqual(['hourglass_flowing_sand']);
  });

  it('a PDF shared again under its name is a new version: the reply says so, /diff compares the two, /ask version:previous asks the old one', async () => {
    slack.files.set('tolls.pdf', await makePdf([{ paragraphs: ['The bridge toll is 4 euros per car.'] }]));
    await post(fileShare('tolls.pdf', '1700000120.000100'), 'application/json');
    await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('Indexed tolls.pdf'))[0]);
    slack.files.set('tolls.pdf', await makePdf([{ paragraphs: ['The bridge toll is 6 euros per car.'] }]));
    await post(fileShare('tolls.pdf', '1700000130.000100'), 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === '1700000130.000100' && a.text?.includes('tolls.pdf'))[0]);
    expect(reply.args.text).toMatch(/^Indexed tolls\.pdf: 1 page, \d+ passages?\. This is a new version of tolls\.pdf; the previous one \(added .* by Ana\) is kept\. \/diff tolls\.pdf shows what changed\.$/);

    await post(slashCommand('/diff', 'tolls.pdf'), 'application/x-www-form-urlencoded');
    const diff = await waitFor(() => [...posted('chat.postMessage'), ...posted('chat.update')].find((p) => p.args.text?.includes('What changed in tolls.pdf')));
    expect(diff.args.text).toContain('− The bridge toll is 4 euros per car.');
    expect(diff.args.text).toContain('+ The bridge toll is 6 euros per car.');

    await post(slashCommand('/ask', 'How much is the bridge toll? version:previous'), 'application/x-www-form-urlencoded');
    const asked = await waitFor(() => [...posted('chat.update'), ...posted('chat.postMessage')].find((p) => p.args.blocks?.includes('previous version')), 15000);
    const blocks = JSON.parse(asked.args.blocks) as { type: string; text?: { text: string }; elements?: { text?: string }[] }[];
    expect(blocks[0].text?.text).toMatch(/4 euros.*\[1\]/);
    expect(blocks.find((b) => b.type === 'context')?.elements?.map((e) => e.text)).toEqual(expect.arrayContaining([expect.stringMatching(/^\[1\] <.*\|tolls\.pdf \(previous version\)>, page 1/)]));
  });

  it('a shared scanned PDF shows “OCR page n/N” in a status message in the thread, then updates it to the result', async () => {
    const picture = await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="300"><rect width="100%" height="100%" fill="white"/><text x="40" y="120" font-family="DejaVu Sans" font-size="56">The ferry leaves at seven</text></svg>')).png().toBuffer();
    slack.files.set('ferry.pdf', await makeScannedPdf('Ferry timetable, typed cover page.', picture));
    await post(fileShare('ferry.pdf', '1700000150.000100'), 'application/json');
    const status = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('OCR page'))[0], 30_000);
    expect(status.args).toMatchObject({ channel: 'C1', thread_ts: '1700000150.000100', text: 'ferry.pdf: OCR page 2/2' });
    const update = await waitFor(() => posted('chat.update', (a) => a.text?.includes('Indexed ferry.pdf'))[0], 30_000);
    expect(update.args.text).toMatch(/^Indexed ferry\.pdf: 2 pages, \d+ passages?\.$/);
    expect(posted('chat.postMessage', (a) => a.text?.includes('Indexed ferry.pdf'))).toHaveLength(0);
    expect(posted('reactions.add').map((p) => p.args.name)).toEqual(['hourglass_flowing_sand', 'white_check_mark']);
  }, 60_000);

  it('a correctly signed /ask is acknowledged at once and answered in the channel with its sources', async () => {
    const response = await post(slashCommand('/ask', 'What was the museum budget in 2023?'), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    const final = await waitFor(() => [...posted('chat.update'), ...posted('chat.postMessage')].find((p) => p.args.blocks?.includes('Sources') && p.args.blocks.includes('feedback:')), 15000);
    expect(final.args.channel).toBe('C1');
    const blocks = JSON.parse(final.args.blocks) as { type: string; text?: { text: string }; elements?: { action_id?: string; text?: string }[] }[];
    expect(blocks[0].text?.text).toMatch(/5 million euros.*\[1\]/);
    const context = blocks.find((b) => b.type === 'context');
    expect(context?.elements?.map((e) => e.text)).toEqual(
      expect.arrayContaining(['*Sources*', expect.stringMatching(/^\[1\] <https:\/\/acme\.slack\.com\/files\/U1\/F1\/budget\.pdf\|budget\.pdf>, page 1/)]),
    );
    expect(blocks.at(-1)?.elements?.[0].action_id).toMatch(/^feedback:[0-9a-f-]{36}:up$/);
    const details = blocks.at(-1)?.elements?.find((e) => e.action_id?.startsWith('details:'))?.action_id ?? '';
    expect(details).toMatch(/^details:[0-9a-f-]{36}$/);

    // Details, pressed by the person who asked and by someone else: an ephemeral response each.
    const press = async (user: string, n: number) => {
      const payload = { type: 'block_actions', token: 'x', api_app_id: 'A1', team: { id: 'T1', domain: 'acme' }, user: { id: user, name: user }, channel: { id: 'C1', name: 'general' }, trigger_id: triggerId(), response_url: `${slack.url}/respond/${n}`, container: { type: 'message', message_ts: final.args.ts ?? '1', channel_id: 'C1' }, actions: [{ type: 'button', action_id: details, block_id: 'b1', action_ts: '1700000900.1', text: { type: 'plain_text', text: 'Details' } }] };
      await post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
      return waitFor(() => posted('respond').find((p) => p.args.text?.length > 0 && p.args.response_type === 'ephemeral' && (n === 1 ? p.args.text.includes('What Docent sent') : p.args.text.includes('Only the person'))));
    };
    const mine = await press('U1', 1);
    expect(mine.args.text).toContain('*What Docent sent, and where* (only you see this)');
    expect(mine.args.text).toMatch(/Groq · [\w./-]+: to write the answer, it was sent your question and \d+ passages?/);
    expect(mine.args.replace_original).toBe(false);
    const theirs = await press('U2', 2);
    expect(theirs.args.text).toBe('Only the person who asked can see what this reply sent where.');
  });

  it('a question in German over English documents is searched in English and answered in German, the passages quoted as written', async () => {
    const german = 'Wie viel Kabeljau hat die Fischereiflotte 2023 angelandet?';
    const harbour = await makePdf([{ heading: 'Fisheries', paragraphs: ['In 2023 the fishing fleet landed 18,000 tonnes of cod at the harbour. The catch was sold at the morning auction.'] }]);
    await core.knowledge.ingest({ platform: 'slack', workspace: 'T1', channel: 'C9' }, { name: 'harbour.pdf', size: harbour.length, read: async () => harbour }, { id: 'U1', name: 'Ana' });
    const before = groq.script;
    groq.script = translatingScript({ [german]: 'How much cod did the fishing fleet land in 2023?' });
    try {
      groq.chats.length = 0;
      await post(slashCommandBody(slack, '/ask', german, 'C9', 'U4'), 'application/x-www-form-urlencoded');
      const final = await waitFor(() => [...posted('chat.update'), ...posted('chat.postMessage')].find((p) => p.args.channel === 'C9' && p.args.blocks?.includes('Sources')), 15000);
      expect(final.args.blocks).toContain('harbour.pdf');
      const prompts = groq.chats.map((chat) => chat.messages.at(-1)?.content ?? '');
      expect(prompts[0]).toBe(`Language: English\nQuestion: ${german}\n\nTranslation:`);
      expect(prompts.at(-1)).toContain('Answer in German, the language of the question. The passages are in English: quote them as they are written.');
    } finally {
      groq.script = before;
    }
  });

  it('outside threads each person has their own conversation: another person’s follow-up is not read with it', async () => {
    const ask = async (text: string, user: string) => {
      groq.chats.length = 0;
      slack.posts.length = 0;
      await post(slashCommandBody(slack, '/ask', text, 'C1', user), 'application/x-www-form-urlencoded');
      await waitFor(() => slack.posts.some((p) => ['chat.postMessage', 'chat.update', 'respond', 'chat.postEphemeral'].includes(p.method) && !/Searching|Thinking/.test(p.args.text ?? '')), 15000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return JSON.stringify(groq.chats.map((chat) => chat.messages));
    };
    await ask('What was the museum budget in 2023?', 'U1');
    const other = await ask('and in 2024?', 'U2');
    expect(other).not.toContain('museum budget in 2023');
    const own = await ask('and in 2024?', 'U1');
    expect(own).toMatch(/standalone search query/);
    expect(own).toContain('User: What was the museum budget in 2023?');
  });

  it('refuses unsigned, wrongly signed and 10-minute-old requests with 401, and runs nothing', async () => {
    const body = slashCommand('/docs', '');
    const before = slack.posts.length;
    expect((await post(body, 'application/x-www-form-urlencoded', {})).status).toBe(401);
    expect((await post(body, 'application/x-www-form-urlencoded', { ...sign(body), 'x-slack-signature': 'v0=deadbeef' })).status).toBe(401);
    expect((await post(body, 'application/x-www-form-urlencoded', sign(body, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.posts.length).toBe(before);
  });

  it('an @mention in a thread is answered in that thread', async () => {
    await post(eventEnvelope({ type: 'app_mention', user: 'U1', text: '<@U0BOT> what was the museum budget in 2023?', ts: '1700000300.000200', thread_ts: '1700000200.000100', channel: 'C1', event_ts: '1700000300.000200' }), 'application/json');
    const answer = await waitFor(() => [...posted('chat.postMessage'), ...posted('chat.update')].find((p) => p.args.blocks?.includes('Sources')), 15000);
    const first = posted('chat.postMessage')[0];
    expect(first.args.thread_ts).toBe('1700000200.000100');
    expect(answer.args.channel).toBe('C1');
  });

  it('processes an event Slack delivers twice (x-slack-retry-num) only once', async () => {
    const body = fileShare('budget.pdf', '1700000400.000100');
    await post(body, 'application/json');
    await post(body, 'application/json', { ...sign(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('budget.pdf')).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(posted('chat.postMessage', (a) => a.text?.includes('budget.pdf'))).toHaveLength(1);
  });

  it('runs a signed slash command once when the same request is replayed within its five minutes: every copy gets a 200, one reply', async () => {
    const body = slashCommand('/docs', '');
    const headers = sign(body);
    for (let i = 0; i < 3; i++) expect((await post(body, 'application/x-www-form-urlencoded', headers)).status).toBe(200);
    const listed = () => slack.posts.filter((p) => p.args.text?.includes('indexed in this channel'));
    await waitFor(() => listed().length > 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(listed()).toHaveLength(1);
    // Another invocation of the same command (a new trigger id) runs.
    await post(slashCommand('/docs', ''), 'application/x-www-form-urlencoded');
    await waitFor(() => listed().length === 2);
  });

  it('runs a replayed message shortcut once', async () => {
    slack.threads.set('C1:1700000650.000100', [
      { type: 'message', ts: '1700000650.000100', thread_ts: '1700000650.000100', user: 'U1', text: 'The glaze order ships on Monday.' },
      { type: 'message', ts: '1700000651.000100', thread_ts: '1700000650.000100', user: 'U1', text: 'Monday shipping for the glaze order is confirmed.' },
    ]);
    const body = shortcutBody(slack, 'summarize_thread', { type: 'message', user: 'U1', ts: '1700000651.000100', thread_ts: '1700000650.000100', text: 'Monday…' });
    const headers = sign(body);
    for (let i = 0; i < 2; i++) expect((await post(body, 'application/x-www-form-urlencoded', headers)).status).toBe(200);
    const summaries = () => posted('chat.postMessage', (a) => a.thread_ts === '1700000650.000100' && a.text?.includes('Summary of this thread') === true);
    await waitFor(() => summaries().length > 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(summaries()).toHaveLength(1);
  });

  it('names the missing files:read scope when Slack answers a download with its login page', async () => {
    slack.filesRead = false;
    // The file object says a PDF; Slack answers with its HTML sign-in page.
    slack.files.set('report.pdf', await makePdf([{ paragraphs: ['Some report.'] }]));
    await post(fileShare('report.pdf', '1700000500.000100'), 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('report.pdf'))[0]);
    slack.filesRead = true;
    expect(reply.args.text).toContain('missing the files:read scope');
    expect(posted('reactions.add').map((p) => p.args.name)).toContain('x');
    expect((await core.knowledge.list({ platform: 'slack', workspace: 'T1', channel: 'C1' })).map((d) => d.name)).not.toContain('report.pdf');
  });

  it('an HTML document shared in a channel is indexed: the file object says HTML, so a body that starts with <!doctype html> is the document', async () => {
    slack.files.set('ferries.html', Buffer.from('<!DOCTYPE html>\n<html><head><title>Ferries</title></head><body><h1>Night ferry</h1><p>The night ferry to the island leaves the north pier at 23:40 every Friday.</p></body></html>\n'));
    await post(fileShare('ferries.html', '1700000510.000100', HTML_FILE), 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('ferries.html'))[0], 15000);
    expect(reply.args.text).toMatch(/^Indexed ferries\.html: /);
    expect(reply.args.text).not.toContain('files:read');
    expect((await core.knowledge.list({ platform: 'slack', workspace: 'T1', channel: 'C1' })).map((d) => d.name)).toContain('ferries.html');
  });

  it('names the missing files:read scope when an HTML file is answered with the login page, whose size is not the file’s', async () => {
    slack.filesRead = false;
    const page = Buffer.from('<!doctype html><html><head><title>Kiln log</title></head><body><p>The kiln reached 1240 degrees on the second firing of the week.</p></body></html>');
    slack.files.set('kiln.html', page);
    try {
      await post(fileShare('kiln.html', '1700000520.000100', { ...HTML_FILE, size: page.length }), 'application/json');
      const reply = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('kiln.html'))[0]);
      expect(reply.args.text).toContain('missing the files:read scope');
    } finally {
      slack.filesRead = true;
    }
    expect((await core.knowledge.list({ platform: 'slack', workspace: 'T1', channel: 'C1' })).map((d) => d.name)).not.toContain('kiln.html');
  });

  it('names the missing files:read scope when Slack redirects a download to its sign-in page, whatever the file object says', async () => {
    slack.filesRead = false;
    slack.filesRefusal = 'redirect';
    slack.files.set('glaze.html', Buffer.from('<!doctype html><html><body><p>Glaze recipes.</p></body></html>'));
    try {
      await post(fileShare('glaze.html', '1700000530.000100', HTML_FILE), 'application/json');
      const reply = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('glaze.html'))[0]);
      expect(reply.args.text).toContain('missing the files:read scope');
    } finally {
      slack.filesRead = true;
      slack.filesRefusal = 'page';
    }
  });

  it('“Summarize thread” (message shortcut) summarizes the message’s thread in that thread', async () => {
    slack.threads.set('C1:1700000600.000100', [
      { type: 'message', ts: '1700000600.000100', thread_ts: '1700000600.000100', user: 'U1', text: 'Kiln firing moves to Thursday for the glaze batch.' },
      { type: 'message', ts: '1700000601.000100', thread_ts: '1700000600.000100', user: 'U1', text: 'Thursday kiln firing works for the glaze batch, agreed.' },
    ]);
    await post(shortcutBody(slack, 'summarize_thread', { type: 'message', user: 'U1', ts: '1700000601.000100', thread_ts: '1700000600.000100', text: 'Thursday…' }), 'application/x-www-form-urlencoded');
    const summary = await waitFor(() => posted('chat.postMessage', (a) => a.text?.includes('Summary of this thread'))[0]);
    expect(summary.args.thread_ts).toBe('1700000600.000100');
    expect(summary.args.text).toContain('2 messages, 1 person');
  });

  const recorded = sharedFile('specs', 'payloads', 'slack-slash-command.bolt-js.form-urlencoded.txt');
  it.runIf(recorded)('accepts the recorded slash-command body shape', async () => {
    const body = fs.readFileSync(recorded ?? '', 'utf8').trim().replace(/command=[^&]*/, 'command=%2Fdocs');
    const response = await post(body, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
  });
});
