import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { ManualClock, ManualScheduler } from '../../helpers/digests.js';
import { SLACK_SECRET, slackPoster, slashCommandBody } from '../../helpers/slack.js';
import { waitFor } from '../../helpers/wait.js';

let slack: FakeSlackApi;
let core: Core;
let bot: SlackBot;
const post = slackPoster(() => bot.port);
const clock = new ManualClock(new Date('2026-11-20T10:00:00Z'));
const scheduler = new ManualScheduler();
const FORM = 'application/x-www-form-urlencoded';
const posted = (method: string, predicate: (args: Record<string, string>) => boolean = () => true) => slack.posts.filter((p) => p.method === method && predicate(p.args));
const ts = (iso: string) => (Date.parse(iso) / 1000).toFixed(6);

beforeAll(async () => {
  slack = await startFakeSlackApi();
  slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
  slack.users.set('U2', { name: 'bo', real_name: 'Bo Owner', display_name: 'Bo', is_owner: true });
  slack.conversations.set('C1', { name: 'general', is_private: false, members: ['U1', 'U2'] });
  slack.conversations.set('C2', { name: 'design', is_private: false, members: ['U2'] });
  slack.conversations.set('C3', { name: 'board', is_private: true, members: ['U1'] });
  slack.history.set('C1', [
    { type: 'message', ts: ts('2026-11-20T12:00:00Z'), user: 'U1', text: 'The kiln firing moves to Thursday.' },
    { type: 'message', ts: ts('2026-11-20T12:05:00Z'), user: 'U2', text: 'Thursday works; I will book the kiln room.' },
  ]);
  slack.history.set('C2', []);
  core = await startCore(testConfig({ DIGEST_TIMEZONE: 'America/New_York' }), { clock, scheduler, embedder: null });
  await core.start();
  bot = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: SLACK_SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, admins: [] });
  await bot.start();
  await core.digests.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await slack.close();
});

async function command(text: string, user: string) {
  const before = slack.posts.length;
  await post(slashCommandBody(slack, '/digest', text, 'C1', user), FORM);
  return waitFor(() => slack.posts.slice(before).find((p) => p.method === 'chat.postEphemeral' || p.method === 'chat.postMessage'));
}

let id = '';
describe('Slack: /digest', () => {
  it('needs a workspace admin or owner (or DIGEST_ADMINS) to set one', async () => {
    const refusal = await command('set weekdays 09:00', 'U1');
    expect(refusal.method).toBe('chat.postEphemeral');
    expect(refusal.args.text).toMatch(/Only people with workspace admin rights \(or a place in DIGEST_ADMINS\) can set digests/);
  });

  it('refuses a private channel its creator is not in', async () => {
    const refusal = await command('set daily 08:00 <#C3|board>', 'U2');
    expect(refusal.args.text).toMatch(/You cannot read #board/);
  });

  it('sets one from one line of words (schedule, zone, escaped channel mentions), lists and previews it privately', async () => {
    const set = await command('set weekdays 09:00 Europe/Brussels <#C1|general> <#C2|design>', 'U2');
    expect(set.method).toBe('chat.postMessage');
    expect(set.args.text).toMatch(/Digest set: `[0-9a-f]{6}` weekdays at 09:00 \(Europe\/Brussels\), recapping #general, #design — next Monday 23 November at 09:00; set by Bo/);
    id = /`([0-9a-f]{6})`/.exec(set.args.text)?.[1] ?? '';
    const list = await command('list', 'U1');
    expect(list.method).toBe('chat.postEphemeral');
    expect(list.args.text).toContain(id);
    const preview = await command('now', 'U1');
    expect(preview.method).toBe('chat.postEphemeral');
    expect(preview.args.text).toMatch(/Digest — #general, #design/);
    expect((await command('set every day at noon', 'U2')).args.text).toMatch(/is not a schedule/);
    // Typed without Slack's escaping, a channel name is looked up (conversations.list).
    const byName = await command('set weekly fri 16:00 #design', 'U2');
    expect(byName.args.text).toMatch(/every Friday at 16:00 \(America\/New_York\), recapping #design/);
    const otherId = /`([0-9a-f]{6})`/.exec(byName.args.text)?.[1] ?? '';
    expect((await command(`off ${otherId}`, 'U2')).args.text).toMatch(/is off/);
  });

  it('posts the digest in the channel at the scheduled instant, once', async () => {
    clock.set('2026-11-23T08:00:00Z');
    scheduler.tickAll();
    scheduler.tickAll();
    const digest = await waitFor(() => posted('chat.postMessage', (a) => a.channel === 'C1' && a.text.startsWith('📬'))[0]);
    expect(digest.args.text).toMatch(/Summary of #general\* — 2 messages, 2 people/);
    expect(digest.args.text).toContain('*#design*: no messages.');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(posted('chat.postMessage', (a) => a.channel === 'C1' && a.text.startsWith('📬'))).toHaveLength(1);
  });

  it('/digest off stops it', async () => {
    expect((await command(`off ${id}`, 'U1')).args.text).toMatch(/can stop digests/);
    expect((await command(`off ${id}`, 'U2')).args.text).toMatch(/is off/);
    expect(await core.digests.list({ platform: 'slack', workspace: 'T1', channel: 'C1' })).toHaveLength(0);
  });
});
