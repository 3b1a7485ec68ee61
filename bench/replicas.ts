import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { composeCore } from '../src/composition/compose-core.js';
import type { Core } from '../src/core/index.js';
import { openPostgres } from '../src/core/providers/storage/postgres/database.js';
import { PostgresStore } from '../src/core/providers/storage/sql/passage-store.js';
import { IndexSnapshots } from '../src/core/providers/search/index-snapshot.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from '../test/helpers/core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from '../test/helpers/digests.js';
import { makePdf, prose } from '../test/helpers/pdfs.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../test/helpers/postgres.js';
import { corpusChunks, EMBEDDING, randomUnit, TENANT } from './corpus.js';

const root = path.resolve(import.meta.dirname, '..');

/** Runs `replicas` worker processes at once on one database; the wall time of the slowest. */
async function runReplicas(mode: 'ask' | 'ingest', databaseUrl: string, replicas: number, perReplica: number): Promise<number> {
  const children = Array.from({ length: replicas }, (_, r) =>
    spawn(process.execPath, ['--import', 'tsx', 'bench/replica-worker.ts', mode, databaseUrl, String(perReplica), String(r)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const outputs = children.map((child) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const ready = new Promise<void>((resolve) => {
      const check = () => (out.includes('READY') ? resolve() : setTimeout(check, 20));
      check();
    });
    const done = new Promise<string>((resolve) => child.once('exit', () => resolve(out)));
    return { child, ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  const started = performance.now();
  for (const { child } of outputs) child.stdin.end('go\n');
  await Promise.all(outputs.map((o) => o.done));
  return performance.now() - started;
}

async function seedAskChannel(databaseUrl: string, documents: number): Promise<void> {
  const core = await composeCore(loadConfig({ DATA_DIR: tempDir('docent-bench-'), DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), memoryLogger(), { embedder: null });
  await core.start();
  for (let d = 0; d < documents; d++) {
    const pages = Array.from({ length: 5 }, (_, p) => ({ heading: `Section ${p + 1}`, paragraphs: [prose(d * 10 + p + 1, 6)] }));
    await core.knowledge.ingest(scope('bench-ask'), bufferFile(`doc-${d}.pdf`, await makePdf(pages)), alice);
  }
  await core.close();
}

/** A digest tick with `schedules` due at once on `replicas` cores sharing the database: each is posted once. */
export async function digestTick(server: TestPostgres, schedules: number, replicas: number): Promise<Record<string, unknown>> {
  const url = await server.createDatabase();
  const clock = new ManualClock(new Date('2027-03-22T08:00:00Z'));
  const cores: Core[] = [];
  const platforms: FakeDigestPlatform[] = [];
  for (let r = 0; r < replicas; r++) {
    const core = await composeCore(loadConfig({ DATA_DIR: tempDir('docent-bench-'), DATABASE_URL: url, LOG_LEVEL: 'silent' }), memoryLogger(), { embedder: null, clock, scheduler: new ManualScheduler() });
    await core.start();
    const platform = new FakeDigestPlatform('slack', clock);
    for (let s = 0; s < schedules; s++) {
      platform.allow('ana', `c${s}`);
      platform.say(`c${s}`, 'Ana', prose(s + 1, 2), '2027-03-22T07:30:00Z');
    }
    core.digests.attach(platform);
    cores.push(core);
    platforms.push(platform);
  }
  const ids: string[] = [];
  for (let s = 0; s < schedules; s++) ids.push((await cores[0].digests.create({ scope: { platform: 'slack', workspace: 'T1', channel: `c${s}` }, when: 'daily 09:00', timezone: 'UTC', creator: { id: 'ana', name: 'Ana' } })).schedule.id);
  clock.set(new Date('2027-03-22T09:00:00Z'));
  const started = performance.now();
  const results = await Promise.all(cores.flatMap((core) => ids.map((id) => core.digests.runDue(id))));
  const ms = performance.now() - started;
  const posted = platforms.reduce((n, p) => n + p.posts.length, 0);
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  for (const core of cores) await core.close();
  return { schedules, replicas, tickMs: Math.round(ms), posted, runs: statuses };
}

/** Cold first search of a 50,000-passage channel on PostgreSQL: built from the table, then after a restart. */
async function coldSearch(server: TestPostgres, chunks: number): Promise<Record<string, unknown>> {
  const pool = await openPostgres(await server.createDatabase());
  const snapshots = new IndexSnapshots(tempDir('docent-bench-snapshots-'));
  const writer = new PostgresStore(pool, EMBEDDING, { minSimilarity: -1 }, 'bench');
  const documentIds: string[] = [];
  for (const batch of corpusChunks(chunks)) {
    await writer.upsert(batch);
    documentIds.push(batch[0].documentId);
  }
  const query = { tenant: TENANT, documentIds, tokens: 'water report annual', sparse: { indices: [], values: [] }, vector: randomUnit(42), limit: 5 };
  const time = async (store: PostgresStore) => {
    const started = performance.now();
    await store.search(query);
    return Math.round(performance.now() - started);
  };
  const first = new PostgresStore(pool, EMBEDDING, { minSimilarity: -1, snapshots }, 'bench');
  const firstQueryMs = await time(first);
  await first.close();
  const restarted = new PostgresStore(pool, EMBEDDING, { minSimilarity: -1, snapshots }, 'bench');
  const firstQueryAfterRestartMs = await time(restarted);
  const warmMs = await time(restarted);
  await restarted.close();
  await pool.end();
  return { chunks, firstQueryMs, firstQueryAfterRestartMs, warmQueryMs: warmMs, snapshotsLoaded: snapshots.counts.loaded, targetFirstQueryAfterRestartMs: 500 };
}

/**
 * Docent on one PostgreSQL with one and with two replica processes (this machine's two cores):
 * /ask and ingest throughput, a digest tick with 1,000 schedules, and the cold first search.
 */
export async function benchReplicas(quick: boolean): Promise<Record<string, unknown>> {
  const unavailable = postgresUnavailable();
  if (unavailable) return { skipped: unavailable };
  const server = await startTestPostgres();
  try {
    const askUrl = await server.createDatabase();
    await seedAskChannel(askUrl, quick ? 10 : 40);
    const asks = quick ? 40 : 200;
    const ask1 = await runReplicas('ask', askUrl, 1, asks);
    const ask2 = await runReplicas('ask', askUrl, 2, asks / 2);
    const pdfs = quick ? 4 : 12;
    const ingest1 = await runReplicas('ingest', await server.createDatabase(), 1, pdfs);
    const ingest2 = await runReplicas('ingest', await server.createDatabase(), 2, pdfs / 2);
    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000 * 10) / 10;
    return {
      askPerSecond: { oneReplica: perSecond(asks, ask1), twoReplicas: perSecond(asks, ask2), questions: asks, retrieval: 'keyword, quoted answers (no model latency)' },
      ingestPagesPerSecond: { oneReplica: perSecond(pdfs * 10, ingest1), twoReplicas: perSecond(pdfs * 10, ingest2), pdfs, pagesEach: 10 },
      digestTick: { oneReplica: await digestTick(server, quick ? 100 : 1000, 1), twoReplicas: await digestTick(server, quick ? 100 : 1000, 2) },
      coldSearch: await coldSearch(server, quick ? 5_000 : 50_000),
    };
  } finally {
    await server.stop();
  }
}
