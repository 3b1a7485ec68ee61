import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleBot } from '../../../src/bots/console/console-bot.js';
import { bufferFile, memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { ManualClock, ManualScheduler } from '../../helpers/digests.js';
import { makePdf } from '../../helpers/pdfs.js';

const clock = new ManualClock(new Date('2027-05-03T10:00:00Z'));
const scheduler = new ManualScheduler();
const core = await startCore(testConfig(), { clock, scheduler, embedder: null });
afterAll(() => core.close());

describe('console: scheduled digests', () => {
  it('a digest set at the console is posted into the session at its time, listing the documents indexed', async () => {
    await core.start();
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (c: Buffer) => (out += c.toString()));
    const bot = new ConsoleBot({ core, logger: memoryLogger(), input, output, errorOutput: new PassThrough(), json: false, interactive: false, channel: 'general', user: { id: 'u1', name: 'Dana' } });
    await core.digests.start();
    const running = bot.run();
    input.end('/digest set daily 09:00 UTC\n');
    await running;
    expect(out).toMatch(/Digest set: `[0-9a-f]{6}` every day at 09:00 \(UTC\)/);
    clock.set('2027-05-03T15:00:00Z');
    await core.knowledge.ingest({ platform: 'console', workspace: 'local', channel: 'general' }, bufferFile('tides.pdf', await makePdf([{ paragraphs: ['High tide at 06:12.'] }])), { id: 'u1', name: 'Dana' });
    clock.set('2027-05-04T09:00:00Z');
    scheduler.tickAll();
    await core.digests.stop();
    expect(out).toMatch(/\[digest for #general\]\n📬 \*\*Digest — #general\*\*/);
    expect(out).toContain('• tides.pdf — 1 page, posted by Dana in #general');
  });
});
