import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { ManualClock } from '../../helpers/digests.js';
import { makePdf } from '../../helpers/pdfs.js';
import { eventEnvelope, SLACK_SECRET, slackPoster } from '../../helpers/slack.js';
import { waitFor } from '../../helpers/wait.js';

// Slack's events when a posting goes away (payload shapes from the Events API reference):
// message_deleted (channel, deleted_ts), file_unshared (file_id, channel_id) and file_deleted
// (file_id, channel_ids), each forgetting the documents that came with it.

let slack: FakeSlackApi;
let core: Core;
let bot: SlackBot;
const clock = new ManualClock(new Date('2027-01-01T09:00:00Z'));
const post = slackPoster(() => bot.port);
const scopeOf = (channel: string) => ({ platform: 'slack', workspace: 'T1', channel });
const names = async (channel: string) => (await core.knowledge.list(scopeOf(channel))).map((d) => d.name).sort();

beforeAll(async () => {
  slack = await startFakeSlackApi();
  core = await startCore(testConfig({ CHANNEL_PURGE_DAYS: '7' }), { embedder: null, clock });
  await core.start();
  bot = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: SLACK_SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, fileHosts: [new URL(slack.url).host] });
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await slack.close();
});

/** Shares `name` (file `fileId`) in `channel` as message `ts`, and waits until it is indexed. */
async function share(channel: string, ts: string, fileId: string, name: string, text: string): Promise<void> {
  slack.files.set(name, await makePdf([{ paragraphs: [text] }]));
  const file = { id: fileId, name, title: name, mimetype: 'application/pdf', filetype: 'pdf', size: slack.files.get(name)?.length ?? 0, url_private: `${slack.url}/files/${name}`, url_private_download: `${slack.url}/files/${name}`, permalink: `https://acme.slack.com/files/U1/${fileId}/${name}` };
  await post(eventEnvelope({ type: 'message', subtype: 'file_share', channel, channel_type: 'channel', user: 'U1', ts, text: '', files: [file] }), 'application/json');
  await waitFor(async () => (await names(channel)).includes(name));
}

describe('Slack: documents beyond PDFs', () => {
  it('a Markdown file shared in a channel is indexed and cited by its section', async () => {
    slack.files.set('runbook.md', Buffer.from('# Runbook\n\n## Failover\n\nPromote the replica in zone B.\n'));
    const file = { id: 'FMD', name: 'runbook.md', title: 'runbook.md', mimetype: 'text/markdown', filetype: 'markdown', size: slack.files.get('runbook.md')?.length ?? 0, url_private: `${slack.url}/files/runbook.md`, url_private_download: `${slack.url}/files/runbook.md`, permalink: 'https://acme.slack.com/files/U1/FMD/runbook.md' };
    await post(eventEnvelope({ type: 'message', subtype: 'file_share', channel: 'C9', channel_type: 'channel', user: 'U1', ts: '1700002000.000100', text: '', files: [file] }), 'application/json');
    await waitFor(async () => (await names('C9')).includes('runbook.md'));
    const reply = await waitFor(() => slack.posts.find((p) => p.method === 'chat.postMessage' && (p.args.text ?? '').includes('runbook.md')));
    expect(reply.args.text).toMatch(/Indexed runbook\.md: 1 section, 1 passages?\./);
    const answer = await core.answers.answer(scopeOf('C9'), 'How do I promote the replica in zone B?');
    expect(answer.citations[0]).toMatchObject({ file: 'runbook.md', location: '§ Failover' });
  });
});

describe('Slack: a posting that goes away', () => {
  it('message_deleted forgets the documents of that message, in that channel only', async () => {
    await share('C1', '1700000100.000100', 'F1', 'dues.pdf', 'Harbour dues rose by four percent.');
    await share('C1', '1700000200.000100', 'F2', 'pilots.pdf', 'Pilots board at the outer buoy.');
    await share('C2', '1700000100.000100', 'F1', 'dues.pdf', 'Harbour dues rose by four percent.');
    await post(eventEnvelope({ type: 'message', subtype: 'message_deleted', hidden: true, channel: 'C1', ts: '1700000300.000001', deleted_ts: '1700000100.000100', event_ts: '1700000300.000001' }), 'application/json');
    await waitFor(async () => !(await names('C1')).includes('dues.pdf'));
    expect(await names('C1')).toEqual(['pilots.pdf']);
    expect(await names('C2')).toEqual(['dues.pdf']);
  });

  it('file_unshared forgets the file in the channel it left; file_deleted in every channel it names, or the whole workspace', async () => {
    await post(eventEnvelope({ type: 'file_unshared', file_id: 'F1', user_id: 'U1', file: { id: 'F1' }, channel_id: 'C2', event_ts: '1700000400.000100' }), 'application/json');
    await waitFor(async () => (await names('C2')).length === 0);
    await share('C3', '1700000500.000100', 'F2', 'pilots.pdf', 'Pilots board at the outer buoy.');
    await post(eventEnvelope({ type: 'file_deleted', file_id: 'F2', channel_ids: ['C3'], event_ts: '1700000600.000100' }), 'application/json');
    await waitFor(async () => (await names('C3')).length === 0);
    expect(await names('C1')).toEqual(['pilots.pdf']);
    await post(eventEnvelope({ type: 'file_deleted', file_id: 'F2', event_ts: '1700000700.000100' }), 'application/json');
    await waitFor(async () => (await names('C1')).length === 0);
  });

  it('with forgetdeleted off the channel keeps the document', async () => {
    await core.settings.set(scopeOf('C4'), 'forgetdeleted', false, { id: 'U1', name: 'Ana' });
    await share('C4', '1700000800.000100', 'F4', 'berths.pdf', 'Berth 4 takes ships of 300 metres.');
    await post(eventEnvelope({ type: 'message', subtype: 'message_deleted', hidden: true, channel: 'C4', ts: '1700000900.000001', deleted_ts: '1700000800.000100', event_ts: '1700000900.000001' }), 'application/json');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await names('C4')).toEqual(['berths.pdf']);
  });
});

describe('Slack: channels Docent leaves', () => {
  const later = (days: number) => clock.set(new Date(clock.now().getTime() + days * 86_400_000));
  const event = (payload: object) => post(eventEnvelope(payload), 'application/json');
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  it('archived then unarchived: kept; Docent removed (channel_left): purged after CHANNEL_PURGE_DAYS', async () => {
    await share('C5', '1700001000.000100', 'F5', 'plan.pdf', 'The harbour plan for 2027.');
    await share('C6', '1700001100.000100', 'F6', 'tides.pdf', 'High tide is at 06:12.');
    await event({ type: 'channel_archive', channel: 'C5', user: 'U1' });
    await event({ type: 'channel_left', channel: 'C6', actor_id: 'U1' });
    await settle();
    later(2);
    await event({ type: 'channel_unarchive', channel: 'C5', user: 'U1' });
    await settle();
    later(6);
    expect((await core.lifecycle.sweep()).purged).toBe(1);
    expect(await names('C5')).toEqual(['plan.pdf']);
    expect(await names('C6')).toEqual([]);
  });

  it('Docent added back (member_joined_channel naming it) keeps a channel it had left; someone else joining does not', async () => {
    await share('C7', '1700001200.000100', 'F7', 'berths.pdf', 'Berth 4 takes ships of 300 metres.');
    await share('C8', '1700001300.000100', 'F8', 'cranes.pdf', 'Crane 2 lifts 40 tonnes.');
    await event({ type: 'channel_deleted', channel: 'C8' });
    await event({ type: 'group_left', channel: 'C7' });
    await settle();
    await event({ type: 'member_joined_channel', user: 'U0BOT', channel: 'C7', channel_type: 'G', team: 'T1' });
    await event({ type: 'member_joined_channel', user: 'U2', channel: 'C8', channel_type: 'C', team: 'T1' });
    await settle();
    later(8);
    expect((await core.lifecycle.sweep()).purged).toBe(1);
    expect(await names('C7')).toEqual(['berths.pdf']);
    expect(await names('C8')).toEqual([]);
  });

  it('uninstalled then installed again (Docent starts with a valid token) within the grace period: nothing is purged', async () => {
    await share('C10', '1700001400.000100', 'F10', 'quay.pdf', 'Quay 3 is closed for repairs.');
    await event({ type: 'app_uninstalled' });
    await settle();
    later(2);
    const again = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: SLACK_SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, fileHosts: [new URL(slack.url).host] });
    await again.start();
    await again.stop();
    later(8);
    await core.lifecycle.sweep();
    expect(await names('C10')).toEqual(['quay.pdf']);
  });

  it('uninstalled (app_uninstalled): every channel of the workspace is purged after the grace period', async () => {
    await event({ type: 'app_uninstalled' });
    await settle();
    later(8);
    await core.lifecycle.sweep();
    for (const channel of ['C1', 'C2', 'C3', 'C4', 'C5', 'C7', 'C10']) expect(await names(channel)).toEqual([]);
  });
});

