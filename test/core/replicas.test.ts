import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core/index.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../helpers/core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from '../helpers/digests.js';
import { makePdf } from '../helpers/pdfs.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`[notice] ${unavailable}.`);

/** Two Docent cores (as two replicas would run them) on one PostgreSQL database, no Qdrant. */
describe.skipIf(unavailable !== undefined)('two replicas on one PostgreSQL', () => {
  let server: TestPostgres;
  const cores: Core[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close();
  });
  afterAll(() => server?.stop());

  async function replicas(clock = new ManualClock(new Date('2027-03-22T12:00:00Z'))) {
    const url = await server.createDatabase();
    const make = async () => {
      // Each replica has its own DATA_DIR: nothing is shared through the file system.
      const core = await startCore(testConfig({ DATABASE_URL: url }), { clock, scheduler: new ManualScheduler(), embedder: null });
      cores.push(core);
      await core.start();
      return core;
    };
    // Started together: the migrations run once, under the advisory lock.
    const [one, two] = await Promise.all([make(), make()]);
    return { one, two, clock };
  }

  it('a document indexed on one answers on the other at once; forgotten on the other, it never answers again', async () => {
    const { one, two } = await replicas();
    const here = scope('C-replicas');
    const pdf = await makePdf([{ heading: 'Ferries', paragraphs: ['The night ferry to Tallinn leaves at 22:30 from terminal B.'] }]);
    const indexed = await one.knowledge.ingest(here, bufferFile('ferries.pdf', pdf), alice);
    expect(indexed.status).toBe('indexed');
    expect((await two.knowledge.list(here)).map((d) => d.name)).toEqual(['ferries.pdf']);
    const answer = await two.answers.answer(here, 'When does the night ferry to Tallinn leave?');
    expect(answer.grounded).toBe(true);
    expect(answer.citations[0]).toMatchObject({ file: 'ferries.pdf', page: 1 });
    // The same file on the other replica is recognised, not indexed twice.
    expect((await two.knowledge.ingest(here, bufferFile('ferries.pdf', pdf), alice)).status).toBe('unchanged');

    await two.knowledge.forget(here, 'ferries.pdf');
    expect(await one.knowledge.list(here)).toEqual([]);
    expect((await one.answers.answer(here, 'When does the night ferry to Tallinn leave?')).grounded).toBe(false);
    expect((await scopeElsewhere(one)).length).toBe(0);
  });

  it('the same file posted to both at once is indexed once', async () => {
    const { one, two } = await replicas();
    const here = scope('C-race');
    const pdf = await makePdf([{ paragraphs: ['Harbour dues rose by four percent in 2026.'] }]);
    const results = await Promise.allSettled([one.knowledge.ingest(here, bufferFile('dues.pdf', pdf), alice), two.knowledge.ingest(here, bufferFile('dues.pdf', pdf), alice)]);
    const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.status] : [String((r.reason as { userMessage?: string }).userMessage)]));
    expect(done.filter((s) => s === 'indexed')).toHaveLength(1);
    expect(done.filter((s) => s !== 'indexed').every((s) => s === 'unchanged' || /being indexed right now/.test(s))).toBe(true);
    expect(await one.knowledge.list(here)).toHaveLength(1);
  });

  it('a scheduled digest due on both replicas is posted once; schedules and settings set on one hold on the other', async () => {
    const { one, two, clock } = await replicas();
    const platforms = [one, two].map((core) => {
      const platform = new FakeDigestPlatform('slack', clock);
      platform.allow('ana', 'general');
      platform.say('general', 'Ana', 'We ship the harbour report on Friday.', '2027-03-22T12:30:00Z');
      core.digests.attach(platform);
      return platform;
    });
    const general = { platform: 'slack', workspace: 'T1', channel: 'general' };
    const { schedule } = await one.digests.create({ scope: general, when: 'daily 13:00', timezone: 'UTC', creator: { id: 'ana', name: 'Ana' } });
    expect((await two.digests.list(general)).map((l) => l.schedule.id)).toEqual([schedule.id]);
    clock.set(new Date('2027-03-22T13:00:00Z'));
    const runs = await Promise.all([one.digests.runDue(schedule.id), two.digests.runDue(schedule.id)]);
    expect(runs.map((r) => r.status).sort()).toEqual(['already-run', 'posted']);
    expect(platforms.flatMap((p) => p.posts)).toHaveLength(1);

    await one.settings.set(general, 'alttext', true, alice);
    expect(await two.settings.get(general, 'alttext')).toBe(true);
  });

  it('a platform delivery (a Slack retry reaching the other replica) is taken on once', async () => {
    const { one, two } = await replicas();
    const taken = await Promise.all([one.deliveries.first('slack:event', 'Ev123'), two.deliveries.first('slack:event', 'Ev123')]);
    expect(taken.sort()).toEqual([false, true]);
  });
});

async function scopeElsewhere(core: Core) {
  return core.knowledge.list(scope('C-elsewhere'));
}
