import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { makePdf } from '../../helpers/pdfs.js';
import { sharedFile } from '../../helpers/shared.js';
import { waitFor } from '../../helpers/wait.js';
import { SLACK_SECRET, slackPoster, slackSignature, slashCommandBody } from '../../helpers/slack.js';

// Slack as its documentation describes it, beyond the happy path: where the workspace is named,
// what marks a bot, signed timestamps in both directions, channels Docent is not in, group DMs
// and who may remove a document.

let slack: FakeSlackApi;
let core: Core;
let bot: SlackBot;
const logs: { level: string; obj: object; msg?: string }[] = [];
const post = slackPoster(() => bot.port);
const slash = (command: string, text: string, channel: string, user = 'U1') => post(slashCommandBody(slack, command, text, channel, user), 'application/x-www-form-urlencoded');
const posted = (method: string) => slack.posts.filter((p) => p.method === method);
const docs = async (channel: string, workspace = 'T1') => (await core.knowledge.list({ platform: 'slack', workspace, channel })).map((d) => d.name);

let counter = 0;
function file(name: string) {
  const id = `F${++counter}`;
  return { id, name, title: name, mimetype: 'application/pdf', filetype: 'pdf', size: slack.files.get(name)?.length ?? 100, url_private: `${slack.url}/files/${name}`, url_private_download: `${slack.url}/files/${name}`, permalink: `https://acme.slack.com/files/U1/${id}/${name}` };
}

/** An Events API envelope exactly as given: no `event.team` unless the event has one. */
function envelope(fields: object, event: object): string {
  return JSON.stringify({ token: 'x', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${++counter}`, event_time: 1700000000, ...fields, event });
}

function share(channel: string, name: string, extra: object = {}) {
  return { type: 'message', subtype: 'file_share', channel, channel_type: 'channel', user: 'U1', ts: `17000001${++counter}.000100`, text: '', files: [file(name)], ...extra };
}

beforeAll(async () => {
  slack = await startFakeSlackApi();
  slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
  slack.users.set('U2', { name: 'ben', real_name: 'Ben Berg', display_name: 'Ben' });
  slack.users.set('UADMIN', { name: 'root', real_name: 'Ada Admin', display_name: 'Ada', is_admin: true });
  core = await startCore(testConfig({}));
  await core.start();
  bot = new SlackBot({ core, logger: memoryLogger(logs), botToken: slack.token, signingSecret: SLACK_SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, fileHosts: [new URL(slack.url).host] });
  await bot.start();
  for (const name of ['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.pdf', 'f.pdf', 'recorded.pdf']) {
    slack.files.set(name, await makePdf([{ heading: 'Budget', paragraphs: [`The museum budget in ${name} was 5 million euros in 2023.`] }]));
  }
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await slack.close();
});
beforeEach(() => {
  slack.posts.length = 0;
});

describe('Slack: the workspace comes from the envelope', () => {
  it('a file_share event without event.team is stored under the envelope’s team_id, where /docs finds it', async () => {
    await post(envelope({ team_id: 'T1', authorizations: [{ team_id: 'T1', user_id: 'U0BOT', is_bot: true }] }, share('C10', 'a.pdf')), 'application/json');
    await waitFor(async () => (await docs('C10')).includes('a.pdf'), 15000);
    expect(await docs('C10', 'T')).toEqual([]);
    await slash('/docs', '', 'C10');
    const listing = await waitFor(() => [...posted('chat.postEphemeral'), ...posted('chat.postMessage')].find((p) => /a\.pdf/.test(p.args.text ?? p.args.blocks ?? '')));
    expect(listing).toBeDefined();
  });

  it('without team_id, the workspace is the authorization’s, then context_team_id (Enterprise Grid, shared channels)', async () => {
    await post(envelope({ authorizations: [{ enterprise_id: 'E1', team_id: 'T1', user_id: 'U0BOT', is_bot: true }] }, share('C11', 'b.pdf', { team: 'TOTHER' })), 'application/json');
    await waitFor(async () => (await docs('C11')).includes('b.pdf'), 15000);
    await post(envelope({ authorizations: [{ enterprise_id: 'E1', team_id: null, user_id: 'U0BOT', is_bot: true }] }, share('C12', 'c.pdf', { context_team_id: 'T1', team: 'TOTHER' })), 'application/json');
    await waitFor(async () => (await docs('C12')).includes('c.pdf'), 15000);
    expect(await docs('C11', 'TOTHER')).toEqual([]);
  });

  it('the recorded file_share event (no event.team) is indexed for its workspace', async () => {
    const recorded = sharedFile('specs', 'payloads', 'slack-message-file-share.json');
    if (!recorded) return;
    const body = JSON.parse(fs.readFileSync(recorded, 'utf8')) as { team_id: string; event: { channel?: string; files: object[]; team?: string } };
    expect(body.event.team).toBeUndefined();
    body.event.channel = 'C13';
    body.event.files = [file('recorded.pdf')];
    await post(JSON.stringify(body), 'application/json');
    await waitFor(async () => (await docs('C13', body.team_id)).includes('recorded.pdf'), 15000);
  });
});

describe('Slack: bots, timestamps, group DMs', () => {
  it('a message with "bot_id": null is a person’s: its PDF is indexed; a non-empty bot_id or bot_message is ignored', async () => {
    await post(envelope({ team_id: 'T1' }, share('C20', 'd.pdf', { bot_id: null })), 'application/json');
    await waitFor(async () => (await docs('C20')).includes('d.pdf'), 15000);
    await post(envelope({ team_id: 'T1' }, share('C21', 'e.pdf', { bot_id: 'B123' })), 'application/json');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await docs('C21')).toEqual([]);
    expect(slack.downloads.filter((d) => d.path === '/files/e.pdf')).toEqual([]);
  });

  it('refuses a request signed more than five minutes in the future with 401, and runs nothing; a small skew is accepted', async () => {
    const body = slashCommandBody(slack, '/docs', '', 'C1');
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body, 'application/x-www-form-urlencoded', slackSignature(body, now + 301))).status).toBe(401);
    expect((await post(body, 'application/x-www-form-urlencoded', slackSignature(body, now + 3600))).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.posts).toEqual([]);
    expect((await post(body, 'application/x-www-form-urlencoded', slackSignature(body, now + 30))).status).toBe(200);
  });

  it('a PDF shared in a group DM (message.mpim) is indexed for that conversation', async () => {
    await post(envelope({ team_id: 'T1' }, share('G30', 'f.pdf', { channel_type: 'mpim' })), 'application/json');
    await waitFor(async () => (await docs('G30')).includes('f.pdf'), 15000);
  });
});

describe('Slack: channels Docent is not in', () => {
  const invite = () => posted('respond').filter((p) => /Invite me with `\/invite @Docent`/.test(p.args.text ?? ''));

  for (const [command, text] of [
    ['/ask', 'What was the museum budget?'],
    ['/summarize', ''],
    ['/digest', 'set daily 09:00'],
  ] as const) {
    it(`${command} there is answered once, privately through response_url, with how to invite Docent`, async () => {
      slack.outside.add('C40');
      slack.conversations.set('C40', { name: 'elsewhere', is_private: false, members: ['U1'] });
      slack.history.set('C40', [{ type: 'message', ts: '1700000000.000100', user: 'U1', text: 'hello' }]);
      await slash(command, text, 'C40');
      await waitFor(() => invite().length > 0, 15000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(invite()).toHaveLength(1);
      expect(invite()[0]?.args).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(slack.posts)).not.toContain('Something went wrong');
      expect(await core.digests.list({ platform: 'slack', workspace: 'T1', channel: 'C40' })).toEqual([]);
    });
  }
});

describe('Slack: /docent', () => {
  it('an unknown command gets one private line, not the whole command list', async () => {
    await slash('/docent', 'frobnicate now', 'C1');
    const reply = await waitFor(() => posted('respond')[0]);
    expect(reply.args).toMatchObject({ response_type: 'ephemeral', text: '✖ Docent has no command “frobnicate”. `/docent help` lists them.' });
    expect(logs.some((l) => /unknown command/.test(l.msg ?? ''))).toBe(true);
  });
});

describe('Slack: /about', () => {
  it('answers privately with the channel’s documents and what this Docent runs', async () => {
    const before = posted('respond').length + posted('chat.postEphemeral').length;
    await slash('/about', '', 'C60');
    const reply = await waitFor(() => [...posted('respond'), ...posted('chat.postEphemeral')].slice(before).find((p) => /Docent in this channel/.test(p.args.text ?? '')), 15000);
    expect(reply.args.text).toContain('• Documents: none yet.');
    expect(reply.args.text).toMatch(/• \/ask answers: /);
    expect(posted('chat.postMessage').filter((p) => /Docent in this channel/.test(p.args.text ?? ''))).toHaveLength(0);
  });
});

describe('Slack: /forget', () => {
  it('the person who added a document or a workspace admin may remove it; anyone else is refused privately', async () => {
    await post(envelope({ team_id: 'T1' }, share('C50', 'a.pdf')), 'application/json');
    await post(envelope({ team_id: 'T1' }, share('C50', 'b.pdf')), 'application/json');
    await waitFor(async () => (await docs('C50')).length === 2, 15000);

    await slash('/forget', 'a.pdf', 'C50', 'U2');
    const refusal = await waitFor(() => posted('chat.postEphemeral').find((p) => /who added/.test(p.args.text ?? '')));
    expect(refusal.args).toMatchObject({ user: 'U2', channel: 'C50' });
    expect(refusal.args.text).toContain('Only Ana, who added “a.pdf”, or someone with workspace admin rights');
    expect((await docs('C50')).sort()).toEqual(['a.pdf', 'b.pdf']);

    await slash('/forget', 'a.pdf', 'C50', 'U1');
    await waitFor(async () => !(await docs('C50')).includes('a.pdf'), 15000);
    await slash('/forget', 'b.pdf', 'C50', 'UADMIN');
    await waitFor(async () => (await docs('C50')).length === 0, 15000);
  });
});
