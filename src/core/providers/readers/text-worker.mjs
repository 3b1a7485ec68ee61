// Starts the reader of the text formats (text-reader.ts, or its compiled .js) in a worker thread.
// The readers are TypeScript modules: when the reader's URL ends in .ts (npm start, the Docker
// image, vitest), tsx's ESM loader is registered in this thread first; compiled JavaScript is
// imported as it is. The worker is started without the parent's loader flags (execArgv: []), so
// this is the one place that decides, wherever Docent runs.
import { workerData } from 'node:worker_threads';

const { reader } = workerData;
if (typeof reader !== 'string') throw new Error('text-worker needs workerData.reader, the URL of the reader module');
if (reader.endsWith('.ts') || reader.endsWith('.mts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(reader);
