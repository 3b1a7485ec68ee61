import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderSummary } from '../../../src/core/summarize/render.js';
import { parseSince } from '../../../src/commands/parse-since.js';
import type { Core } from '../../../src/core/index.js';
import { parseTranscript, transcriptSource } from '../../../src/core/summarize/transcript.js';
import type { ConversationMessage } from '../../../src/core/summarize/types.js';
import { summaryScript } from '../../fakes/chat-script.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { startCore, testConfig } from '../../helpers/core.js';

let gemini: FakeGemini;
beforeAll(async () => {
  gemini = await startFakeGemini();
});
afterAll(() => gemini.close());
beforeEach(() => {
  gemini.script = summaryScript;
  gemini.chats.length = 0;
  gemini.maxConcurrent = 0;
});

function message(i: number, author: string, text: string, extra: Partial<ConversationMessage> = {}): ConversationMessage {
  return {
    id: String(i),
    author: { id: author.toLowerCase(), name: author, bot: false },
    text,
    at: new Date(Date.UTC(2026, 10, 20, 9, i)),
    link: `https://discord.com/channels/1/2/${1000 + i}`,
    ...extra,
  };
}

const meeting: ConversationMessage[] = [
  message(1, 'Alice', 'Morning! Let us plan the museum launch.'),
  message(2, 'Bob', 'We agreed to open on 3 March.'),
  message(3, 'Chen', 'I will send the press kit by Friday.'),
  message(4, 'Docent', 'Here is an answer from the bot.', { author: { id: 'bot', name: 'Docent', bot: true }, fromDocent: true }),
  message(5, 'Alice', 'Who books the caterer?'),
  message(6, 'Bob', 'The budget stays at 40k.'),
];

async function summaryCore(env: Record<string, string> = {}): Promise<Core> {
  const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, ...env }));
  await core.start();
  return core;
}

describe('/summarize with Gemini', () => {
  it('writes a structured summary whose items link back to their messages, skipping bot messages', async () => {
    const core = await summaryCore();
    const result = await core.summaries.summarize(transcriptSource('the launch thread', meeting));
    expect(result).toMatchObject({ mode: 'generated', messageCount: 5, participants: ['Alice', 'Bob', 'Chen'], calls: 1, failedParts: [], model: 'gemini:gemini-2.5-flash' });
    expect(result.summary?.decisions).toEqual([{ text: 'We agreed to open on 3 March.', messages: ['m2'] }]);
    expect(result.summary?.actionItems).toEqual([{ text: 'I will send the press kit by Friday.', owner: 'Chen', due: 'Friday', messages: ['m3'] }]);
    expect(result.summary?.openQuestions).toEqual([{ text: 'Who books the caterer?', messages: ['m4'] }]);
    const [chat] = gemini.chats;
    expect(chat.body.generationConfig).toMatchObject({ responseMimeType: 'application/json', temperature: 0.2 });
    const prompt = chat.body.contents[0].parts[0].text ?? '';
    expect(prompt).toContain('[m1] 2026-11-20 09:01 Alice: Morning!');
    expect(prompt).not.toContain('answer from the bot');
    const markdown = renderSummary(result);
    expect(markdown).toContain('**Summary of the launch thread** — 5 messages, 3 people');
    expect(markdown).toMatch(/\*\*Decisions\*\*\n• We agreed to open on 3 March\. — \[Bob 09:02\]\(https:\/\/discord\.com\/channels\/1\/2\/1002\)/);
    expect(markdown).toMatch(/• I will send the press kit by Friday\. — \*\*Chen\*\* \(due Friday\) — \[Chen 09:03\]/);
    expect(markdown).toContain('**Open questions**\n• Who books the caterer?');
    await core.close();
  });

  it('includes bot messages when asked', async () => {
    const core = await summaryCore();
    const result = await core.summaries.summarize(transcriptSource('t', meeting), { includeBots: true });
    expect(result.messageCount).toBe(6);
    await core.close();
  });

  it('map-reduces a long conversation within the token budget: one call per part, plus one to combine', async () => {
    const core = await summaryCore({ SUMMARY_CHUNK_TOKENS: '600', SUMMARY_CONCURRENCY: '3' });
    gemini.latencyMs = 20;
    const long = Array.from({ length: 400 }, (_, i) => message(i, ['Ana', 'Ben', 'Cy'][i % 3], `Update ${i}: the ${['kiln', 'glaze', 'clay'][i % 3]} order is on track.`));
    const result = await core.summaries.summarize(transcriptSource('long', long));
    gemini.latencyMs = 0;
    const maps = gemini.chats.filter((c) => /summarize a part/.test(c.body.systemInstruction?.parts[0].text ?? ''));
    const reduces = gemini.chats.filter((c) => /combine summaries/.test(c.body.systemInstruction?.parts[0].text ?? ''));
    const promptTokens = long.reduce((n, m) => n + Math.ceil(`[m${m.id}] 2026-11-20 09:00 ${m.author.name}: ${m.text}`.length / 4), 0);
    expect(maps.length).toBeGreaterThan(1);
    expect(maps.length).toBeLessThanOrEqual(Math.ceil(promptTokens / 600) + 1);
    expect(reduces).toHaveLength(1);
    expect(result.calls).toBe(maps.length + 1);
    for (const map of maps) expect((map.body.contents[0].parts[0].text ?? '').length).toBeLessThanOrEqual(600 * 4 + 200);
    expect(gemini.maxConcurrent).toBeLessThanOrEqual(3);
    expect(gemini.maxConcurrent).toBeGreaterThan(1);
    expect(result.summary?.tldr).toMatch(/^Combined \d+ parts/);
    // References survive the combine step and point at the right messages.
    expect(result.summary?.keyPoints[0].messages[0]).toBe('m1');
    expect(result.refs.get('m400')?.author).toBe(long[399].author.name);
    await core.close();
  });

  it('retries a part that fails once, then succeeds', async () => {
    const core = await summaryCore({ PROVIDER_MAX_RETRIES: '0' });
    gemini.failNext(1, { status: 503, body: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } } });
    const result = await core.summaries.summarize(transcriptSource('t', meeting));
    expect(result).toMatchObject({ mode: 'generated', failedParts: [] });
    expect(result.summary?.tldr).toContain('5 messages');
    await core.close();
  });

  it('reports a part that keeps failing instead of dropping it silently', async () => {
    const core = await summaryCore({ PROVIDER_MAX_RETRIES: '0', SUMMARY_CHUNK_TOKENS: '600', SUMMARY_CONCURRENCY: '1' });
    gemini.failNext(2, { status: 503, body: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } } });
    const long = Array.from({ length: 200 }, (_, i) => message(i, 'Ana', `Status ${i}: all good on line ${i}.`));
    const result = await core.summaries.summarize(transcriptSource('t', long));
    expect(result.failedParts).toHaveLength(1);
    expect(result.failedParts[0]).toMatchObject({ part: 1, firstMessage: 'm1' });
    expect(result.note).toMatch(/^1 of \d+ parts could not be summarized/);
    expect(renderSummary(result)).toContain('could not be summarized');
    await core.close();
  });

  it('retries a reply that is not the JSON asked for', async () => {
    const core = await summaryCore();
    let calls = 0;
    gemini.script = (prompt) => (++calls === 1 ? 'Sure! Here is a summary: the team planned a launch.' : summaryScript(prompt));
    const result = await core.summaries.summarize(transcriptSource('t', meeting));
    expect(result.mode).toBe('generated');
    expect(calls).toBe(2);
    await core.close();
  });

  it('answers directly for an empty or one-message conversation, without a model call', async () => {
    const core = await summaryCore();
    const empty = await core.summaries.summarize(transcriptSource('empty thread', []));
    const one = await core.summaries.summarize(transcriptSource('short thread', meeting.slice(0, 1)));
    expect(renderSummary(empty)).toBe('There are no messages to summarize in empty thread.');
    expect(renderSummary(one)).toContain('There is only one message in short thread, nothing to summarize: “Morning! Let us plan the museum launch.” — Alice');
    expect(gemini.chats).toEqual([]);
    await core.close();
  });

  it('limits the window and says when older messages were left out', async () => {
    const core = await summaryCore({ SUMMARY_MAX_MESSAGES: '3' });
    const result = await core.summaries.summarize(transcriptSource('t', meeting.filter((m) => !m.author.bot)));
    expect(result).toMatchObject({ messageCount: 3, capped: true });
    expect(renderSummary(result)).toContain('Older messages beyond the last 3 were left out');
    await core.close();
  });
});

describe('/summarize without a Gemini key', () => {
  it('shows the most representative messages, labelled, with the variable to set', async () => {
    const core = await startCore(testConfig());
    await core.start();
    const chatter = [
      ...Array.from({ length: 20 }, (_, i) => message(i, 'Ana', `The kiln firing schedule for glaze batch ${i} moves to Thursday afternoon.`)),
      message(30, 'Ben', 'lol'),
      message(31, 'Cy', 'Kiln firing schedule: glaze batches move to Thursday, confirmed by the studio.'),
    ];
    const result = await core.summaries.summarize(transcriptSource('studio', chatter));
    expect(result.mode).toBe('extractive');
    expect(result.excerpts.length).toBeGreaterThanOrEqual(2);
    expect(result.excerpts.map((m) => m.text)).not.toContain('lol');
    const markdown = renderSummary(result);
    expect(markdown).toContain('Set GEMINI_API_KEY for a written summary');
    expect(markdown).toMatch(/• Ana: “The kiln firing schedule/);
    await core.close();
  });
});

describe('transcripts', () => {
  it('reads JSON arrays with common field names', () => {
    const messages = parseTranscript('chat.json', Buffer.from(JSON.stringify([{ user: 'Ana', message: 'Hi', ts: '1700000000' }, { author: 'Ben', text: 'Hey', at: '2024-05-01T10:00:00Z', link: 'https://x/1', bot: true }])));
    expect(messages.map((m) => [m.author.name, m.text, m.at?.toISOString(), m.link, m.author.bot])).toEqual([
      ['Ana', 'Hi', '2023-11-14T22:13:20.000Z', undefined, false],
      ['Ben', 'Hey', '2024-05-01T10:00:00.000Z', 'https://x/1', true],
    ]);
  });

  it('reads text lines with optional timestamps and continuation lines', () => {
    const messages = parseTranscript('chat.txt', Buffer.from('[2024-05-01 10:02] Alice: first line\nsecond line\nBob: reply with a link https://example.com\n\n'));
    expect(messages.map((m) => [m.author.name, m.text])).toEqual([
      ['Alice', 'first line\nsecond line'],
      ['Bob', 'reply with a link https://example.com'],
    ]);
    expect(messages[0].at?.toISOString()).toMatch(/^2024-05-01T/);
  });

  it('refuses malformed transcripts with the reason', () => {
    expect(() => parseTranscript('bad.json', Buffer.from('[{"author": "A"}]'))).toThrow(/Message 1 of “bad.json” needs an "author" and a "text"/);
    expect(() => parseTranscript('bad.json', Buffer.from('{"x": 1}'))).toThrow(/must be a JSON array/);
    expect(() => parseTranscript('bad.json', Buffer.from('[{'))).toThrow(/not valid JSON/);
  });

  it('a transcript source keeps the most recent messages and honours since', async () => {
    const window = await transcriptSource('t', meeting).messages({ limit: 2, since: undefined });
    const pages: ConversationMessage[][] = [];
    for await (const page of window.pages) pages.push(page);
    expect(window.capped).toBe(true);
    expect(pages.flat().map((m) => m.id)).toEqual(['5', '6']);
    const since = await transcriptSource('t', meeting).messages({ limit: 10, since: new Date(Date.UTC(2026, 10, 20, 9, 5)) });
    for await (const page of since.pages) expect(page.map((m) => m.id)).toEqual(['5', '6']);
  });
});

describe('parseSince', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  it('reads durations and dates', () => {
    expect(parseSince('2h', now).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(parseSince('3 days', now).toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(parseSince('1w', now).toISOString()).toBe('2026-11-16T12:00:00.000Z');
    expect(parseSince('2026-11-01', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
  it('refuses what is not a time, or is in the future', () => {
    expect(() => parseSince('yesterday-ish', now)).toThrow(/not a time/);
    expect(() => parseSince('2027-01-01', now)).toThrow(/in the future/);
  });
});
