import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/index.js';
import { groundedScript, summaryScript, type ChatScript } from '../fakes/chat-script.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-fake.js';
import { channelFiles, runConsole } from '../helpers/console.js';
import { startCore, testConfig } from '../helpers/core.js';

describe('/settings ai off: nothing from the channel reaches a model provider', () => {
  let cwd: string;
  let gemini: FakeGemini;
  let core: Core;
  const inChannel = (lines: string[], channel = 'private-plans') => runConsole(core, cwd, lines, { channel });
  const sentToGemini = () => gemini.chats.length + gemini.batches.length;

  beforeAll(async () => {
    cwd = await channelFiles('docent-ai-off-');
    gemini = await startFakeGemini();
    const script: ChatScript = (prompt) => (/summar/i.test(prompt.system) ? summaryScript(prompt) : groundedScript(prompt));
    gemini.script = script;
    core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
    await core.start();
  });
  afterAll(async () => {
    await core.close();
    await gemini.close();
  });

  it('the banner and /settings show say which provider receives what', async () => {
    const flows = (await core.capabilities()).filter((c) => c.name.startsWith('sent to '));
    expect(flows.map((f) => f.name)).toEqual(['sent to Gemini']);
    expect(flows[0]?.detail).toContain('questions, with the passages chosen to answer them');
    expect(flows[0]?.detail).toContain('the text of every passage indexed, and each question (embeddings for search)');
    const shown = (await inChannel(['/settings show'])).out;
    expect(shown).toContain('• ai: on');
    expect(shown).toContain('What leaves Docent from this channel:\n• sent to Gemini: questions, with the passages');
  });

  it('indexes without embeddings, quotes passages, lists messages, reads images offline, and refuses alt text; another channel is unchanged', async () => {
    expect((await inChannel(['/settings ai off'])).out).toContain('Model providers are off in this channel: nothing from it is sent to Groq or Gemini.');
    const before = sentToGemini();
    await inChannel(['/index harbour.pdf']);
    const asked = (await inChannel(['/ask How much cod did the fleet land?'])).out;
    expect(asked).toContain('_Model providers are off in this channel (/settings ai): Docent quotes the passages instead of writing an answer._');
    expect(asked).toContain('18,000 tonnes of cod');
    const summary = (await inChannel(['/summarize standup.txt'])).out;
    expect(summary).toContain('Model providers are off in this channel (/settings ai): these are its most representative messages, not a written summary.');
    expect((await inChannel(['/caption sign.png'])).out).toContain('✖ Model providers are off in this channel (/settings ai), and describing images needs one. Reading text (ocr mode) works here, offline.');
    expect((await inChannel(['/caption sign.png ocr'])).out).toMatch(/OPEN AT NINE/i);
    expect((await inChannel(['/settings alttext on'])).out).toContain('✖ Alt text needs a model provider, and model providers are off in this channel.');
    const json = JSON.parse((await runConsole(core, cwd, ['/ask How much cod did the fleet land?'], { channel: 'private-plans', json: true })).out) as { details: { calls: unknown[] }; retrieval: string };
    expect([json.details.calls, json.retrieval]).toEqual([[], 'lexical']);
    const shown = (await inChannel(['/settings show'])).out;
    expect(shown).toContain('• ai: off (set by Dana)');
    expect(shown).toContain('• alttext: off');
    expect(shown).toContain('• sent to no one: model providers are off in this channel');
    expect(sentToGemini()).toBe(before);

    // Another channel still uses the providers.
    await inChannel(['/index harbour.pdf'], 'general');
    expect((await inChannel(['/ask How much cod did the fleet land?'], 'general')).out).toContain('According to the documents');
    expect(sentToGemini()).toBeGreaterThan(before);
  }, 60_000);

  it('turned on again, the channel’s questions are answered by the model', async () => {
    expect((await inChannel(['/settings ai on'])).out).toContain('✅ Model providers are on in this channel');
    expect((await inChannel(['/ask How much cod did the fleet land?'])).out).toContain('According to the documents');
  });
});
