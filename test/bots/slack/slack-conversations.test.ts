import fs from 'node:fs';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackConversation } from '../../../src/bots/slack/slack-conversations.js';
import type { ConversationMessage } from '../../../src/core/summarize/types.js';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackMessage } from '../../fakes/slack-api-fake.js';
import { sharedFile } from '../../helpers/shared.js';
import { renderSummary } from '../../../src/core/summarize/render.js';
import { summaryScript } from '../../fakes/chat-script.js';
import { startFakeGemini } from '../../fakes/gemini-fake.js';
import { startCore, testConfig } from '../../helpers/core.js';

let slack: FakeSlackApi;
let client: WebClient;

beforeAll(async () => {
  slack = await startFakeSlackApi();
  client = new WebClient(slack.token, { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 } });
  slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
  slack.users.set('U2', { name: 'ben', real_name: 'Ben Berg', display_name: '' });
});
afterAll(() => slack.close());
beforeEach(() => {
  slack.recordedReplies = undefined;
  slack.requests.length = 0;
});

const ref = { channelId: 'C1', threadTs: undefined, label: '#general', workspaceUrl: 'https://acme.slack.com/', botId: 'B0BOT', botUserId: 'U0BOT' };

function history(count: number): FakeSlackMessage[] {
  return Array.from({ length: count }, (_, i) => ({ type: 'message', ts: `${1700000000 + i}.000100`, user: i % 2 ? 'U2' : 'U1', text: `note ${i}` }));
}

async function read(source: ReturnType<typeof slackConversation>, options: { limit: number; since?: Date }) {
  const window = await source.messages(options);
  const all: ConversationMessage[] = [];
  for await (const page of window.pages) all.push(...page);
  return { capped: window.capped, messages: all };
}

describe('Slack channel and thread history', () => {
  it('follows conversations.history cursors until the limit, oldest first', async () => {
    slack.history.set('C1', history(450));
    const { capped, messages } = await read(slackConversation(client, ref), { limit: 300 });
    expect(capped).toBe(true);
    expect(messages).toHaveLength(300);
    expect(messages[0].text).toBe('note 150');
    expect(messages[299].text).toBe('note 449');
    const historyCalls = slack.requests.filter((r) => r.path === '/api/conversations.history');
    expect(historyCalls).toHaveLength(2);
    expect(new URLSearchParams(String(historyCalls[1].body)).get('cursor')).toBeTruthy();
  });

  it('reads a thread with conversations.replies and links replies into the thread', async () => {
    slack.threads.set('C1:1700000000.000100', [
      { type: 'message', ts: '1700000000.000100', thread_ts: '1700000000.000100', user: 'U1', text: 'Launch plan?' },
      { type: 'message', ts: '1700000100.000200', thread_ts: '1700000000.000100', user: 'U2', text: 'Agreed: <@U1> owns it, see <https://x.example/doc|the doc> &amp; notes' },
      { type: 'message', ts: '1700000200.000300', thread_ts: '1700000000.000100', bot_id: 'B0BOT', user: 'U0BOT', text: 'Docent answer' },
    ]);
    const { messages } = await read(slackConversation(client, { ...ref, threadTs: '1700000000.000100', label: 'thread' }), { limit: 50 });
    expect(messages.map((m) => [m.author.name, m.text, m.fromDocent])).toEqual([
      ['Ana', 'Launch plan?', false],
      ['Ben Berg', 'Agreed: @Ana owns it, see the doc (https://x.example/doc) & notes', false],
      ['U0BOT', 'Docent answer', true],
    ]);
    expect(messages[0].link).toBe('https://acme.slack.com/archives/C1/p1700000000000100');
    expect(messages[1].link).toBe('https://acme.slack.com/archives/C1/p1700000100000200?thread_ts=1700000000.000100&cid=C1');
    // One users.info lookup per person, however often they appear.
    expect(slack.requests.filter((r) => r.path === '/api/users.info').length).toBeLessThanOrEqual(3);
  });

  it('passes `since` as oldest', async () => {
    slack.history.set('C2', history(10));
    const { messages } = await read(slackConversation(client, { ...ref, channelId: 'C2' }), { limit: 100, since: new Date(1700000007 * 1000) });
    expect(messages.map((m) => m.text)).toEqual(['note 7', 'note 8', 'note 9']);
  });

  const recordedFile = sharedFile('specs', 'payloads', 'slack-conversations-replies.json');
  it.runIf(recordedFile)('reads the recorded conversations.replies response', async () => {
    const file = recordedFile ?? '';
    const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as { response_metadata: { next_cursor: string } };
    slack.recordedReplies = { ...recorded, has_more: false, response_metadata: { next_cursor: '' } };
    const { messages } = await read(slackConversation(client, { ...ref, threadTs: '1482960137.003543' }), { limit: 50 });
    expect(messages.map((m) => m.text)).toEqual(['island', 'one island', 'two island', 'three for the land']);
    expect(messages[1].link).toBe('https://acme.slack.com/archives/C1/p1483037603017503?thread_ts=1482960137.003543&cid=C1');
  });
});

describe('summarizing a Slack thread', () => {
  it('links each summary item back to its Slack permalink', async () => {
    const gemini = await startFakeGemini();
    gemini.script = summaryScript;
    const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
    await core.start();
    slack.threads.set('C9:1700000000.000100', [
      { type: 'message', ts: '1700000000.000100', thread_ts: '1700000000.000100', user: 'U1', text: 'Which venue?' },
      { type: 'message', ts: '1700000060.000200', thread_ts: '1700000000.000100', user: 'U2', text: 'We decided on the old mill.' },
    ]);
    const source = slackConversation(client, { ...ref, channelId: 'C9', threadTs: '1700000000.000100', label: 'the venue thread' });
    const markdown = renderSummary(await core.summaries.summarize(source, { limit: 50 }));
    expect(markdown).toContain('**Summary of the venue thread** — 2 messages, 2 people');
    expect(markdown).toMatch(/• We decided on the old mill\. — \[Ben Berg \d\d:\d\d\]\(https:\/\/acme\.slack\.com\/archives\/C9\/p1700000060000200\?thread_ts=1700000000\.000100&cid=C9\)/);
    await core.close();
    await gemini.close();
  });
});
