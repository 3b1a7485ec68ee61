// Child process for the crash-recovery test: indexes a PDF with an embedder that stores the
// first page batch, then announces "MID-INGEST" and hangs, so the parent can SIGKILL it mid-way.
import fs from 'node:fs';
import { loadConfig } from '../../src/config.js';
import { composeCore } from '../../src/composition/compose-core.js';
import type { Embedder } from '../../src/core/ports/ports.js';
import { normalise } from '../../src/core/providers/models/gemini-embedder.js';
import { fakeEmbedding } from '../fakes/gemini-fake.js';
import { alice, bufferFile, memoryLogger, scope } from './core.js';

// With a database URL the core runs on PostgreSQL, its upload recorded as a durable job with a 2 s lease.
const [dataDir, pdfPath, databaseUrl] = process.argv.slice(2);
let calls = 0;
const embedder: Embedder = {
  model: 'fake-embedding',
  dimensions: 16,
  async embedDocuments(texts) {
    calls++;
    if (calls > 1) {
      process.stdout.write('MID-INGEST\n');
      await new Promise(() => undefined);
    }
    return texts.map((t) => normalise(fakeEmbedding(t, 16)));
  },
  async embedQuery(text) {
    return normalise(fakeEmbedding(text, 16));
  },
};
const config = loadConfig({ DATA_DIR: dataDir, PDF_PAGE_BATCH: '2', LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
const core = await composeCore(config, memoryLogger(), { embedder, ingestLeaseSeconds: 2 });
await core.start();
await core.knowledge.ingest(scope('C-crash'), bufferFile('crash.pdf', fs.readFileSync(pdfPath)), alice);
process.stdout.write('FINISHED\n');
