import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/index.js';
import { summaryScript, groundedScript, type ChatScript } from '../fakes/chat-script.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-fake.js';
import { channelFiles, runConsole } from '../helpers/console.js';
import { startCore, testConfig } from '../helpers/core.js';

interface Printed {
  details: { kind: string; calls: { provider: string; model: string; purpose: string; sent: string; inputTokens?: number }[]; passages?: { file: string; location: string }[]; messages?: number; local: string[]; latencyMs: number };
}

const json = async (core: Core, cwd: string, line: string) => JSON.parse((await runConsole(core, cwd, [line], { json: true })).out) as Printed;

describe('what a reply sent where (`details` in the console’s JSON, the Details button elsewhere)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await channelFiles('docent-details-');
  });

  describe('offline', () => {
    let core: Core;
    beforeAll(async () => {
      core = await startCore(testConfig());
      await core.start();
      await runConsole(core, cwd, ['/index harbour.pdf']);
    });
    afterAll(() => core.close());

    it('says nothing left Docent for quoted passages, an extractive summary and offline OCR', async () => {
      const asked = await json(core, cwd, '/ask How much cod did the fleet land?');
      expect(asked.details).toMatchObject({ kind: 'answer', calls: [], local: ["searching this channel's documents", 'judging whether the passages cover the question', 'choosing the quoted passages'] });
      expect(asked.details.passages).toBeUndefined();
      const summary = await json(core, cwd, '/summarize standup.txt');
      expect(summary.details).toMatchObject({ kind: 'summary', calls: [], local: ['reading the messages', 'choosing the representative messages shown'] });
      const text = await json(core, cwd, '/caption sign.png ocr');
      expect(text.details).toMatchObject({ kind: 'image', calls: [], local: ['orienting, resizing and stripping the metadata of the image', 'reading its text (tesseract)'] });
    }, 60_000);
  });

  describe('with Gemini', () => {
    let gemini: FakeGemini;
    let core: Core;
    beforeAll(async () => {
      gemini = await startFakeGemini();
      const script: ChatScript = (prompt) => (/summar/i.test(prompt.system) ? summaryScript(prompt) : groundedScript(prompt));
      gemini.script = script;
      core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
      await core.start();
      await runConsole(core, cwd, ['/index harbour.pdf']);
    });
    afterAll(async () => {
      await core.close();
      await gemini.close();
    });

    it('names each call: the question embedded to search by meaning, then the question and passages to write the answer, with tokens', async () => {
      const asked = await json(core, cwd, '/ask How much cod did the fleet land?');
      const [embedding, answer] = asked.details.calls;
      expect(embedding).toEqual({ provider: 'Gemini', model: 'gemini-embedding-001', purpose: 'search by meaning', sent: 'the search query (your question)' });
      expect(answer).toMatchObject({ provider: 'Gemini', purpose: 'write the answer', sent: "your question and 1 passage of this channel's documents", inputTokens: expect.any(Number) });
      expect(asked.details.passages).toEqual([{ file: 'harbour.pdf', location: 'page 1' }]);
      expect(asked.details.latencyMs).toBeGreaterThan(0);
    });

    it('a summary names the messages sent and the calls made', async () => {
      const summary = await json(core, cwd, '/summarize standup.txt');
      expect(summary.details).toMatchObject({ kind: 'summary', messages: 3, calls: [{ provider: 'Gemini', purpose: 'summarize (1 call)', sent: expect.stringMatching(/^3 messages with their authors' names, [\d,]+ characters in all$/) }] });
    });
  });
});
