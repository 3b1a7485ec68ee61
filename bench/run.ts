// npm run bench → one JSON object on stdout. Timings are measured here, never asserted in tests.
//   --quick            smaller sizes, for a fast look
//   --only=ingest      or --only=retrieval, --only=ask, --only=summarize, --only=vision, --only=ocr, --only=memory, --only=hostile, --only=replicas (PostgreSQL)
import os from 'node:os';
import { benchAsk } from './ask.js';
import { buildCorpus } from './corpus.js';
import { benchIngest } from './ingest.js';
import { benchHostileUploads } from './hostile-uploads.js';
import { benchMemory } from './memory.js';
import { benchOcr } from './ocr.js';
import { benchReplicas } from './replicas.js';
import { benchRetrieval } from './retrieval.js';
import { benchSummarize } from './summarize.js';
import { benchVision } from './vision.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const wants = (part: string) => only === undefined || only === part;
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
};
if (wants('ingest')) report.ingest = await benchIngest(quick ? 50 : 500);
if (wants('retrieval') || wants('ask')) {
  const corpus = await buildCorpus(quick ? 5_000 : 50_000);
  if (wants('retrieval')) report.retrieval = await benchRetrieval(corpus, quick ? 50 : 200);
  if (wants('ask')) report.ask = await benchAsk(corpus, quick ? 30 : 100);
  corpus.db.close();
}
if (wants('summarize')) report.summarize = await benchSummarize(2000);
if (wants('vision')) report.vision = await benchVision();
if (wants('ocr')) report.ocr = await benchOcr(quick ? 6 : 25);
if (wants('memory')) report.memory = await benchMemory();
if (wants('hostile')) report.hostileUploads = await benchHostileUploads();
if (wants('replicas')) report.replicas = await benchReplicas(quick);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
