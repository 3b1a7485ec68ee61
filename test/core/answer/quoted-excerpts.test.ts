import { describe, expect, it } from 'vitest';
import { alice, bufferFile, scope, startCore, testConfig } from '../../helpers/core.js';

const here = scope('C-quotes');

/** A paragraph of filler sentences that mention nothing asked about. */
const filler = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `The ${topic} committee met on day ${i + 1} and read the minutes aloud before lunch.`).join(' ');

describe('quoted passages without a model', () => {
  it('gives the best passage room for what follows its best sentence, and keeps the others short', async () => {
    const core = await startCore(testConfig());
    await core.start();
    try {
      // The term asked about, then the fact three sentences later: past a short excerpt, within a longer one.
      const guide = [
        '# Rotation',
        '',
        `Key rotation for the signing service follows a fixed routine. ${filler('security', 3)} Rotated keys stay valid for exactly 45 days afterwards.`,
        '',
        '# Other',
        '',
        `Key rotation is also mentioned here. ${filler('budget', 8)}`,
      ].join('\n');
      await core.knowledge.ingest(here, bufferFile('rotation.md', Buffer.from(guide)), alice);
      const result = await core.answers.answer(here, 'how does key rotation work for the signing service?');
      expect(result.mode).toBe('passages');
      const [first, ...rest] = result.citations;
      expect(first?.excerpt).toContain('45 days');
      expect(first!.excerpt.length).toBeGreaterThan(320);
      for (const other of rest) expect(other.excerpt.replace(/^… | …$/g, '').length).toBeLessThanOrEqual(320);
    } finally {
      await core.close();
    }
  });
});
