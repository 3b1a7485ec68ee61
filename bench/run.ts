// npm run bench → one JSON object on stdout. Timings are measured here, never asserted in tests.
//   --quick            smaller sizes, for a fast look
//   --only=ingest      or --only=retrieval
import os from 'node:os';
import { benchIngest } from './ingest.js';
import { benchRetrieval } from './retrieval.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
};
if (only === undefined || only === 'ingest') report.ingest = await benchIngest(quick ? 50 : 500);
if (only === undefined || only === 'retrieval') report.retrieval = await benchRetrieval(quick ? 5_000 : 50_000, quick ? 50 : 200);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
