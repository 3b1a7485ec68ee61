import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsCommand } from '../../../../src/commands/docs.js';
import { runCommand } from '../../../../src/commands/run-command.js';
import type { Reply } from '../../../../src/commands/types.js';
import type { Core } from '../../../../src/core/index.js';
import type { Embedder, IngestJobs } from '../../../../src/core/ports/ports.js';
import { readersByKind } from '../../../../src/core/providers/readers/document-readers.js';
import { normalise } from '../../../../src/core/providers/models/gemini-embedder.js';
import { PdfParseParser } from '../../../../src/core/providers/readers/pdf-parser.js';
import { TextDocumentParser } from '../../../../src/core/providers/readers/text-parser.js';
import { fakeEmbedding } from '../../../fakes/gemini-fake.js';
import { alice, bufferFile, memoryLogger, scope, startCore, tempDir, testConfig } from '../../../helpers/core.js';
import { FakeDigestPlatform, ManualClock } from '../../../helpers/digests.js';
import { killMidIngest } from '../../../helpers/kill-mid-ingest.js';
import { makeLongPdf, makePdf } from '../../../helpers/pdfs.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';
import { waitFor } from '../../../helpers/wait.js';

// Uploads as jobs: visible in /docs while they are read, and (on PostgreSQL) read again by another
// replica when the one reading them stops.

/** An embedder that holds every call until released, so an ingest can be watched mid-way. */
function heldEmbedder(): Embedder & { release(): void; calls: number } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const embedder = {
    model: 'fake-embedding',
    dimensions: 16,
    calls: 0,
    release: () => release(),
    async embedDocuments(texts: string[]) {
      embedder.calls++;
      await gate;
      return texts.map((t) => normalise(fakeEmbedding(t, 16)));
    },
    embedQuery: async (text: string) => normalise(fakeEmbedding(text, 16)),
  };
  return embedder;
}

/** What /docs says in this channel. */
async function docsText(core: Core, here: ReturnType<typeof scope>): Promise<string> {
  const lines: string[] = [];
  const reply: Reply = {
    defer: async () => undefined,
    progress: async () => undefined,
    stream: async () => undefined,
    send: async (result) => void lines.push(result.text),
    fail: async (failure) => void lines.push(`✖ ${failure.message}`),
  };
  await runCommand({ command: docsCommand, options: {}, core, scope: here, user: alice, logger: memoryLogger(), reply });
  return lines.join('\n');
}

const embedder: Embedder = {
  model: 'fake-embedding',
  dimensions: 16,
  embedDocuments: async (texts) => texts.map((t) => normalise(fakeEmbedding(t, 16))),
  embedQuery: async (text) => normalise(fakeEmbedding(text, 16)),
};

async function docsWhileReading(core: Core, held: ReturnType<typeof heldEmbedder>, here: ReturnType<typeof scope>) {
  const pdf = await makePdf([{ paragraphs: ['The harbour dues rose by four percent in 2026.'] }]);
  const ingest = core.knowledge.ingest(here, bufferFile('dues.pdf', pdf), alice);
  await waitFor(() => held.calls > 0);
  return { ingest, pdf };
}

describe('uploads being read (SQLite, in process)', () => {
  it('are listed as being read until they are indexed', async () => {
    const held = heldEmbedder();
    const core = await startCore(testConfig(), { embedder: held });
    await core.start();
    const here = scope('C-reading');
    const { ingest } = await docsWhileReading(core, held, here);
    const reading = await core.knowledge.reading(here);
    expect(reading.indexing.map((d) => [d.name, d.uploadedBy.name])).toEqual([['dues.pdf', 'Alice']]);
    expect(reading.queued).toEqual([]);
    expect(await core.knowledge.list(here)).toEqual([]);
    expect(await docsText(core, here)).toMatch(/^No documents are indexed in this channel yet\.\n\nStill being read:\n• dues\.pdf — being read now \(posted \d{4}-\d\d-\d\d \d\d:\d\d UTC by Alice\)$/);
    held.release();
    expect((await ingest).status).toBe('indexed');
    expect((await core.knowledge.reading(here)).indexing).toEqual([]);
    expect(await docsText(core, here)).toMatch(/^1 document indexed in this channel:\n• dues\.pdf — 1 page/);
    expect(await docsText(core, here)).not.toContain('Still being read');
    await core.close();
  });
});

describe('resuming an upload a stopped replica left', () => {
  /** Jobs that hand the worker one left-over upload at start, and record how its handler ended. */
  function leftOver(data: Buffer, name: string) {
    const outcomes: string[] = [];
    const jobs: IngestJobs = {
      durable: true,
      init: async () => undefined,
      enqueue: async () => ({ release: async () => undefined }),
      queued: async () => [],
      work: async (handler) => {
        const job = { scope: scope('C-left'), name, link: undefined, uploader: alice, sha256: 'x', queuedAt: new Date().toISOString() };
        await handler(job, data).then(
          () => outcomes.push('done'),
          (error: unknown) => outcomes.push(`retry: ${(error as Error).message}`),
        );
      },
      stop: async () => undefined,
    };
    return { jobs, outcomes };
  }

  it('a refusal is reported in the upload’s channel, like a success, and the job is done', async () => {
    const { jobs, outcomes } = leftOver(Buffer.from('%PDF-1.4\nthis is not really a PDF at all\n%%EOF'), 'broken.pdf');
    const core = await startCore(testConfig(), { embedder, jobs });
    const platform = new FakeDigestPlatform('slack', new ManualClock(new Date()));
    core.digests.attach(platform);
    await core.start();
    expect(outcomes).toEqual(['done']);
    expect(platform.posts.map((p) => [p.channel, p.markdown])).toEqual([['C-left', expect.stringMatching(/^✖ .*broken\.pdf/)]]);
    expect(await core.knowledge.list(scope('C-left'))).toEqual([]);
    await core.close();
  });

  it('without the platform’s bot on this replica the job is left for a retry', async () => {
    const { jobs, outcomes } = leftOver(await makePdf([{ paragraphs: ['Pilots board at the outer buoy.'] }]), 'pilots.pdf');
    const core = await startCore(testConfig(), { embedder, jobs });
    await core.start();
    expect(outcomes).toEqual(['retry: no slack bot on this replica to report pilots.pdf to']);
    expect(await core.knowledge.list(scope('C-left'))).toEqual([]);
    await core.close();
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`[ingest jobs] ${unavailable}`);

describe.skipIf(unavailable !== undefined)('uploads as durable jobs (PostgreSQL, pg-boss)', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.stop());

  it('another replica sees the upload being read; the same file posted there meanwhile is not read twice', async () => {
    const url = await server.createDatabase();
    const held = heldEmbedder();
    const one = await startCore(testConfig({ DATABASE_URL: url }), { embedder: held });
    const two = await startCore(testConfig({ DATABASE_URL: url }), { embedder });
    await Promise.all([one.start(), two.start()]);
    try {
      const here = scope('C-jobs');
      const { ingest, pdf } = await docsWhileReading(one, held, here);
      expect((await two.knowledge.reading(here)).indexing.map((d) => d.name)).toEqual(['dues.pdf']);
      await expect(two.knowledge.ingest(here, bufferFile('dues.pdf', pdf), alice)).rejects.toMatchObject({ userMessage: expect.stringMatching(/being indexed right now/) });
      held.release();
      expect((await ingest).status).toBe('indexed');
      expect((await two.knowledge.list(here)).map((d) => d.name)).toEqual(['dues.pdf']);
      expect(await two.knowledge.reading(here)).toEqual({ indexing: [], queued: [] });
      // Once read, the same file is simply known.
      expect((await two.knowledge.ingest(here, bufferFile('dues.pdf', pdf), alice)).status).toBe('unchanged');
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('a replica reading a file for longer than its lease keeps renewing it: no replica takes the upload over, and the refusal is given once', async () => {
    const url = await server.createDatabase();
    // A read that never ends, stopped at PDF_TIMEOUT_SECONDS (5 s), five times the 1 s lease.
    const stuck = () => readersByKind(new PdfParseParser(), new TextDocumentParser({ reader: new URL('../../../helpers/stuck-reader.mjs', import.meta.url) }));
    const replicas = await Promise.all([0, 1].map(() => startCore(testConfig({ DATABASE_URL: url, PDF_TIMEOUT_SECONDS: '5' }), { embedder, ingestLeaseSeconds: 1, parser: stuck() })));
    const clock = new ManualClock(new Date());
    const platforms = replicas.map((core) => {
      const platform = new FakeDigestPlatform('slack', clock);
      core.digests.attach(platform);
      return platform;
    });
    await Promise.all(replicas.map((core) => core.start()));
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const due = async () => (await db.query<{ start_after: Date }>(`SELECT start_after FROM docent_jobs.job WHERE name = 'docent-ingest' AND state = 'created'`)).rows.map((r) => r.start_after.getTime());
    try {
      const here = scope('C-lease');
      const [one] = replicas as [Core, Core];
      const upload = one.knowledge.ingest(here, bufferFile('slow.csv', Buffer.from('team,amount\nharbour,4\n')), alice).then(
        () => 'indexed',
        (error: { code: string; userMessage: string }) => `${error.code}: ${error.userMessage}`,
      );
      // While the worker reads, the replica's main thread keeps pushing the job's start forward.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const [first] = await due();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const [second] = await due();
      expect(first).toBeGreaterThan(Date.now() - 1500);
      expect(second).toBeGreaterThan(first as number);
      expect(await upload).toMatch(/^read_timeout: Docent can't index “slow\.csv”: reading it took longer than the 5 s limit \(PDF_TIMEOUT_SECONDS\)/);
      // Two leases later nothing has been read again or posted anywhere, and the job is gone.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(platforms.flatMap((p) => p.posts)).toEqual([]);
      expect(await due()).toEqual([]);
      expect(await replicas[1]?.knowledge.reading(here)).toEqual({ indexing: [], queued: [] });
    } finally {
      await db.end();
      await Promise.all(replicas.map((core) => core.close()));
    }
  }, 60_000);

  it('a replica killed mid-read leaves the upload to another, which reads it from the stored file and reports in its channel', async () => {
    const url = await server.createDatabase();
    const dataDir = tempDir();
    const pdfPath = path.join(dataDir, 'crash.pdf');
    fs.writeFileSync(pdfPath, await makeLongPdf(6));
    await killMidIngest(dataDir, pdfPath, url);

    const clock = new ManualClock(new Date());
    const survivor = await startCore(testConfig({ DATABASE_URL: url }), { embedder, ingestLeaseSeconds: 2 });
    const platform = new FakeDigestPlatform('slack', clock);
    survivor.digests.attach(platform);
    const here = scope('C-crash');
    try {
      // Half-written, it answers nothing; /docs says it is being read.
      expect(await survivor.knowledge.list(here)).toEqual([]);
      expect((await survivor.knowledge.reading(here)).indexing.map((d) => d.name)).toEqual(['crash.pdf']);
      await survivor.start();
      const report = await waitFor(() => platform.posts.find((p) => p.channel === 'C-crash'), 20_000);
      expect(report.markdown).toMatch(/^✅ Indexed crash\.pdf \(posted by Alice\): 6 pages, \d+ passages?\. The Docent replica reading it stopped; another one finished it\./);
      expect((await survivor.knowledge.list(here)).map((d) => [d.name, d.pages])).toEqual([['crash.pdf', 6]]);
      expect(await survivor.knowledge.reading(here)).toEqual({ indexing: [], queued: [] });
      expect((await survivor.answers.answer(here, 'household income survey')).citations[0]?.file).toBe('crash.pdf');
      // Read once: nothing else is posted.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(platform.posts.filter((p) => p.channel === 'C-crash')).toHaveLength(1);
    } finally {
      await survivor.close();
    }
  }, 60_000);
});
