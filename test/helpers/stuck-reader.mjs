// A document reader that never finishes (a parser caught in a loop), speaking text-reader.ts's
// protocol: the tests hand it to TextDocumentParser to watch the time budget, the main thread and
// the upload's lease while a read goes on and on. Plain JavaScript: the worker imports it as it is.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (message) => {
  if (message.type === 'release') parentPort.postMessage({ type: 'released' });
  if (message.type !== 'batch') return;
  // Busy, not waiting: the worker's thread is taken, as by a parser that loops.
  for (;;) {
    /* reading */
  }
});
parentPort.postMessage({ type: 'ready' });
