import { describe, expect, it } from 'vitest';
import { indexCommand } from '../../src/commands/index-files.js';
import { runCommand } from '../../src/commands/run-command.js';
import type { Reply } from '../../src/commands/types.js';
import { startFakeGemini } from '../fakes/gemini-fake.js';
import { alice, bufferFile, memoryLogger, scope, startCore, testConfig } from '../helpers/core.js';
import { makeImageOnlyPdf } from '../helpers/pdfs.js';

describe('/index of a long scanned PDF', () => {
  it('says which page OCR is reading, and names the pages the OCR budget left unread', async () => {
    const gemini = await startFakeGemini();
    gemini.latencyMs = 1500;
    gemini.script = ({ user }) => (user.includes('Transcribe all the text') ? 'Quay register\nBerth 4 takes ships of 300 metres' : 'unexpected');
    const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, OCR_TIMEOUT_SECONDS: '5' }), { embedder: null });
    await core.start();
    const lines: string[] = [];
    const reply: Reply = {
      defer: async () => undefined,
      progress: async (text) => void lines.push(text),
      stream: async () => undefined,
      send: async (result) => void lines.push(result.text),
      fail: async (failure) => void lines.push(`✖ ${failure.message}`),
    };
    const file = bufferFile('quay.pdf', await makeImageOnlyPdf(40));
    const outcome = await runCommand({ command: indexCommand, options: { file: [file] }, core, scope: scope('C-quay'), user: alice, logger: memoryLogger(), reply });
    expect(outcome.ok).toBe(true);
    expect(lines[0]).toBe('quay.pdf: OCR page 1/40');
    const summary = lines.find((l) => l.startsWith('quay.pdf: 40 pages'));
    expect(summary).toMatch(/OCR ran out of time \(OCR_TIMEOUT_SECONDS\) before pages [\d, –]+40, which were not read/);
    await core.close();
    await gemini.close();
  }, 60_000);
});
