// One Docent replica for the scale-out bench: a core on the given PostgreSQL that runs `count`
// /ask questions or ingests `count` PDFs, then prints one JSON line with its timings.
//   tsx bench/replica-worker.ts <ask|ingest> <databaseUrl> <count> <replica>
import { loadConfig } from '../src/config.js';
import { composeCore } from '../src/composition/compose-core.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from '../test/helpers/core.js';
import { makeLongPdf, prose } from '../test/helpers/pdfs.js';

const [mode = 'ask', databaseUrl = '', countText = '10', replica = '0'] = process.argv.slice(2);
const count = Number(countText);
const core = await composeCore(loadConfig({ DATA_DIR: tempDir('docent-bench-replica-'), DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), memoryLogger(), { embedder: null });
await core.start();
const pdfs = mode === 'ingest' ? await Promise.all(Array.from({ length: count }, (_, i) => makeLongPdf(10, 1000 * Number(replica) + i))) : [];
const ready = performance.now();
process.stdout.write('READY\n');
// The parent starts every replica's work at once.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const started = performance.now();
if (mode === 'ask') {
  for (let i = 0; i < count; i++) await core.answers.answer(scope('bench-ask'), prose(200_000 + i * 7 + Number(replica), 1).split(' ').slice(0, 8).join(' '));
} else {
  for (const [i, pdf] of pdfs.entries()) await core.knowledge.ingest(scope(`bench-ingest-${replica}-${i}`), bufferFile(`report-${replica}-${i}.pdf`, pdf), alice);
}
const ms = performance.now() - started;
await core.close();
process.stdout.write(`${JSON.stringify({ replica, mode, count, ms, setupMs: ready })}\n`);
