import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/core/ports/ports.js';
import { normalise } from '../../src/core/providers/models/gemini-embedder.js';
import { fakeEmbedding } from '../fakes/gemini-fake.js';
import { startFakeQdrant } from '../fakes/qdrant-fake.js';
import { alice, bufferFile, scope, startCore, tempDir, testConfig } from '../helpers/core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from '../helpers/digests.js';
import { runNpm } from '../helpers/npm.js';
import { makePdf } from '../helpers/pdfs.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { qdrantSpecPath } from '../helpers/shared.js';

// `npm run migrate:postgres` on a real SQLite install made by Docent itself (documents with
// vectors, a digest schedule with a run, a setting, a rated answer), then Docent on PostgreSQL.

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`[migrate:postgres] ${unavailable}`);

const DIMENSIONS = 128;
const embedder: Embedder = {
  model: 'gemini-embedding-001',
  dimensions: DIMENSIONS,
  embedDocuments: async (texts) => texts.map((t) => normalise(fakeEmbedding(t, DIMENSIONS))),
  embedQuery: async (text) => normalise(fakeEmbedding(text, DIMENSIONS)),
};
const general = { platform: 'slack', workspace: 'T1', channel: 'general' };
const migrate = (env: Record<string, string>) => runNpm(['run', '--silent', 'migrate:postgres'], { GEMINI_API_KEY: 'fake-key', EMBEDDING_DIMENSIONS: String(DIMENSIONS), QDRANT_URL: '', ...env }, '');

describe.skipIf(unavailable !== undefined)('npm run migrate:postgres', () => {
  let server: TestPostgres;
  let dataDir: string;
  let scheduleId: string;
  let kiln: Buffer;
  const clock = new ManualClock(new Date('2027-03-22T12:00:00Z'));

  beforeAll(async () => {
    server = await startTestPostgres();
    dataDir = tempDir();
    const core = await startCore(testConfig({ DATA_DIR: dataDir }), { embedder, clock, scheduler: new ManualScheduler() });
    await core.start();
    const platform = new FakeDigestPlatform('slack', clock);
    platform.allow('ana', 'general');
    platform.say('general', 'Ana', 'We ship the harbour report on Friday.', '2027-03-22T12:30:00Z');
    core.digests.attach(platform);
    await core.knowledge.ingest(scope('general'), bufferFile('ferries.pdf', await makePdf([{ heading: 'Ferries', paragraphs: ['The night ferry to Tallinn leaves at 22:30 from terminal B.'] }, { paragraphs: ['Tickets are sold at the harbour office.'] }])), alice);
    kiln = await makePdf([{ paragraphs: ['The kiln reaches 1,280 degrees for stoneware.'] }]);
    await core.knowledge.ingest(scope('design'), bufferFile('kiln.pdf', kiln), alice);
    await core.settings.set(scope('general'), 'alttext', true, alice);
    scheduleId = (await core.digests.create({ scope: general, when: 'daily 13:00', timezone: 'UTC', creator: { id: 'ana', name: 'Ana' } })).schedule.id;
    clock.set(new Date('2027-03-22T13:00:00Z'));
    expect((await core.digests.runDue(scheduleId)).status).toBe('posted');
    const answerId = await core.feedback.recordAnswer(scope('general'), { question: 'When does the ferry leave?', answer: 'At 22:30 [1].', grounded: true, model: undefined, askedBy: alice.id });
    await core.feedback.rate(answerId, 'U2', 'down');
    await core.close();
  }, 60_000);
  afterAll(() => server?.stop());

  it('copies documents with their passages and vectors, schedules and runs, settings and ratings; Docent on PostgreSQL answers from them', async () => {
    const url = await server.createDatabase();
    const { code, stdout, stderr } = await migrate({ DATA_DIR: dataDir, DATABASE_URL: url });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Copied .*docent\.db into PostgreSQL at 127\.0\.0\.1:\d+\/docent_test_\d+:/);
    expect(stdout).toMatch(/2 documents, 3 passages into PostgreSQL/);
    expect(stdout).toContain('1 digest schedule\n');
    expect(stdout).toContain('1 digest run\n');
    expect(stdout).toContain('1 setting\n');
    expect(stdout).toContain('1 rating\n');
    expect(stdout).not.toContain(url.split('@')[0]);

    const core = await startCore(testConfig({ DATABASE_URL: url }), { embedder, clock, scheduler: new ManualScheduler() });
    await core.start();
    const platform = new FakeDigestPlatform('slack', clock);
    core.digests.attach(platform);
    try {
      expect((await core.knowledge.list(scope('general'))).map((d) => [d.name, d.pages, d.chunks])).toEqual([['ferries.pdf', 2, 2]]);
      expect((await core.knowledge.list(scope('design'))).map((d) => d.name)).toEqual(['kiln.pdf']);
      const answer = await core.answers.answer(scope('general'), 'When does the night ferry to Tallinn leave?');
      expect(answer.grounded).toBe(true);
      expect(answer.retrieval).toBe('hybrid');
      expect(answer.citations[0]).toMatchObject({ file: 'ferries.pdf', page: 1 });
      // Channels stay apart after the copy.
      expect((await core.answers.answer(scope('design'), 'When does the night ferry to Tallinn leave?')).grounded).toBe(false);
      expect(await core.settings.get(scope('general'), 'alttext')).toBe(true);
      const [listed] = await core.digests.list(general);
      expect(listed?.schedule.id).toBe(scheduleId);
      // The run posted before the move is not posted again.
      expect((await core.digests.runDue(scheduleId)).status).toBe('already-run');
      expect(platform.posts).toHaveLength(0);
      // The same file posted again is recognised.
      expect((await core.knowledge.ingest(scope('design'), bufferFile('kiln.pdf', kiln), alice)).status).toBe('unchanged');
    } finally {
      await core.close();
    }

    // Run again: nothing is copied twice.
    const again = await migrate({ DATA_DIR: dataDir, DATABASE_URL: url });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 documents \(2 already there\), 0 passages/);
    expect(again.stdout).toContain('0 digest schedules (1 already there)');
  }, 120_000);

  it.skipIf(!qdrantSpecPath)('with QDRANT_URL, the passages go into Qdrant and PostgreSQL keeps the registry', async () => {
    const qdrant = await startFakeQdrant(qdrantSpecPath ?? '');
    try {
      const url = await server.createDatabase();
      const { code, stdout, stderr } = await migrate({ DATA_DIR: dataDir, DATABASE_URL: url, QDRANT_URL: qdrant.url });
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/2 documents, 3 passages into Qdrant/);
      const points = [...qdrant.collections.values()].reduce((n, c) => n + c.points.size, 0);
      expect(points).toBe(3);
      const core = await startCore(testConfig({ DATABASE_URL: url, QDRANT_URL: qdrant.url }), { embedder });
      await core.start();
      try {
        const answer = await core.answers.answer(scope('general'), 'When does the night ferry to Tallinn leave?');
        expect(answer.citations[0]).toMatchObject({ file: 'ferries.pdf', page: 1 });
      } finally {
        await core.close();
      }
    } finally {
      await qdrant.close();
    }
  }, 120_000);

  it('says what is missing: DATABASE_URL, or a DATA_DIR without docent.db', async () => {
    const noUrl = await migrate({ DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(noUrl.code).toBe(78);
    expect(noUrl.stderr).toMatch(/Set DATABASE_URL to the PostgreSQL database to copy into/);
    const empty = tempDir();
    const noFile = await migrate({ DATA_DIR: empty, DATABASE_URL: await server.createDatabase() });
    expect(noFile.code).toBe(78);
    expect(noFile.stderr).toMatch(/There is no Docent database at .*docent\.db\. Set DATA_DIR/);
  }, 60_000);

  it('a database that cannot be reached stops the copy with the reason and leaves nothing half-written', async () => {
    const result = await migrate({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://docent:secret-pass@127.0.0.1:1/none' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The copy stopped: .*ECONNREFUSED|The copy stopped: .*connect/);
    expect(result.stderr).not.toContain('secret-pass');
  }, 60_000);
});
