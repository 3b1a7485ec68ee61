// Runs pdf-parse (pdf.js) in a worker thread so a hostile PDF can never block or crash the bot:
// the parent enforces a time limit with worker.terminate(). Plain JavaScript on purpose: worker
// threads are started outside any TypeScript loader (vitest, tsx, the Docker image alike).
//
// Protocol: workers start before a document arrives (pdf.js loads once, off the hot path).
// The parent sends { type: 'open', data: Uint8Array }, then { type: 'batch', first, last };
// the worker answers { type: 'pages', total, pages: [{ number, text }] } or
// { type: 'error', name, message }. { type: 'close' } ends it.
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';

if (parentPort === null) throw new Error('pdf-worker must run in a worker thread');
const port = parentPort;

let parser;

port.on('message', async (message) => {
  if (message.type === 'open') {
    parser = new PDFParse({ data: message.data, verbosity: 0, isEvalSupported: false, stopAtErrors: false });
    return;
  }
  if (message.type === 'close') {
    await parser?.destroy().catch(() => undefined);
    port.close();
    return;
  }
  try {
    if (parser === undefined) throw new Error('no document opened');
    const result = await parser.getText({
      first: message.first,
      last: message.last,
      pageJoiner: '',
      lineEnforce: true,
    });
    const pages = result.pages
      .filter((page) => page.num >= message.first && page.num <= message.last)
      .map((page) => ({ number: page.num, text: page.text }));
    port.postMessage({ type: 'pages', total: result.total, pages });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const text = error instanceof Error ? error.message : String(error);
    port.postMessage({ type: 'error', name, message: text });
  }
});
