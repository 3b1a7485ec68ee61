// npm run bench → one JSON object on stdout. Timings are measured here, never asserted in tests.
import os from 'node:os';
import { benchIngest } from './ingest.js';
import { benchRetrieval } from './retrieval.js';

const quick = process.argv.includes('--quick');
const ingest = await benchIngest(quick ? 50 : 500);
const retrieval = await benchRetrieval(quick ? 5_000 : 50_000, quick ? 50 : 200);
const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  ingest,
  retrieval,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
