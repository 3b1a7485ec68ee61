import { describe, expect, it } from 'vitest';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { ManualClock } from '../../../helpers/digests.js';
import { makePdf } from '../../../helpers/pdfs.js';

// How long documents live: DOCUMENT_RETENTION_DAYS, and the purge of channels Docent left
// (CHANNEL_PURGE_DAYS), swept at start and hourly.

const DAY = 86_400_000;

async function withDocuments(env: Record<string, string>) {
  const clock = new ManualClock(new Date('2027-01-01T09:00:00Z'));
  const core = await startCore(testConfig(env), { clock, embedder: null });
  await core.start();
  const add = async (channel: string, name: string, text: string, workspace = 'W1') =>
    core.knowledge.ingest(scope(channel, workspace), bufferFile(name, await makePdf([{ paragraphs: [text] }])), alice);
  const names = async (channel: string, workspace = 'W1') => (await core.knowledge.list(scope(channel, workspace))).map((d) => d.name).sort();
  return { core, clock, add, names };
}

describe('document lifecycle', () => {
  it('DOCUMENT_RETENTION_DAYS retires documents indexed longer ago, and keeps the newer ones', async () => {
    const { core, clock, add, names } = await withDocuments({ DOCUMENT_RETENTION_DAYS: '30' });
    await add('C1', 'old.pdf', 'The old harbour plan from January.');
    clock.set(new Date(clock.now().getTime() + 20 * DAY));
    await add('C1', 'new.pdf', 'The new harbour plan from the spring.');
    expect(await core.lifecycle.sweep()).toEqual({ retired: 0, purged: 0 });
    clock.set(new Date(clock.now().getTime() + 11 * DAY));
    expect(await core.lifecycle.sweep()).toEqual({ retired: 1, purged: 0 });
    expect(await names('C1')).toEqual(['new.pdf']);
    expect((await core.answers.answer(scope('C1'), 'old harbour plan January')).citations.map((c) => c.file)).not.toContain('old.pdf');
    await core.close();
  });

  it('without DOCUMENT_RETENTION_DAYS nothing is retired, however old', async () => {
    const { core, clock, add, names } = await withDocuments({});
    await add('C1', 'old.pdf', 'The old harbour plan from January.');
    clock.set(new Date(clock.now().getTime() + 3650 * DAY));
    await core.lifecycle.sweep();
    expect(await names('C1')).toEqual(['old.pdf']);
    await core.close();
  });

  it('a channel Docent left is purged after CHANNEL_PURGE_DAYS; one it came back to is kept', async () => {
    const { core, clock, add, names } = await withDocuments({ CHANNEL_PURGE_DAYS: '7' });
    await add('C1', 'dues.pdf', 'Harbour dues rose by four percent.');
    await add('C2', 'pilots.pdf', 'Pilots board at the outer buoy.');
    await core.lifecycle.departed({ platform: 'slack', workspace: 'W1', channel: 'C1' }, 'the channel was archived');
    await core.lifecycle.departed({ platform: 'slack', workspace: 'W1', channel: 'C2' }, 'Docent was removed from the channel');
    clock.set(new Date(clock.now().getTime() + 2 * DAY));
    await core.lifecycle.returned({ platform: 'slack', workspace: 'W1', channel: 'C2' });
    // Leaving again later does not restart the clock of a departure that is still pending.
    await core.lifecycle.departed({ platform: 'slack', workspace: 'W1', channel: 'C1' }, 'the channel was archived');
    clock.set(new Date(clock.now().getTime() + 4 * DAY));
    expect((await core.lifecycle.sweep()).purged).toBe(0);
    expect(await names('C1')).toEqual(['dues.pdf']);
    clock.set(new Date(clock.now().getTime() + 2 * DAY));
    expect((await core.lifecycle.sweep()).purged).toBe(1);
    expect(await names('C1')).toEqual([]);
    expect(await names('C2')).toEqual(['pilots.pdf']);
    await core.close();
  });

  it('leaving a whole workspace purges every channel of it, and only of it; CHANNEL_PURGE_DAYS=0 purges at once', async () => {
    const { core, add, names } = await withDocuments({ CHANNEL_PURGE_DAYS: '0' });
    await add('C1', 'dues.pdf', 'Harbour dues rose by four percent.');
    await add('C2', 'pilots.pdf', 'Pilots board at the outer buoy.');
    await add('C1', 'tides.pdf', 'High tide is at 06:12.', 'W2');
    await core.lifecycle.departed({ platform: 'slack', workspace: 'W1' }, 'Docent was uninstalled from the workspace');
    expect(await names('C1')).toEqual([]);
    expect(await names('C2')).toEqual([]);
    expect(await names('C1', 'W2')).toEqual(['tides.pdf']);
    await core.close();
  });
});
