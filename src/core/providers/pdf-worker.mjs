// Runs pdf-parse (pdf.js) in a worker thread so a hostile PDF can never block or crash the bot:
// the parent enforces a time limit with worker.terminate(). Plain JavaScript on purpose: worker
// threads are started outside any TypeScript loader (vitest, tsx, the Docker image alike).
//
// Protocol (one document at a time; a worker is reused for the next document after 'release'):
//   parent → { type: 'open', data: Uint8Array }            (no answer; errors surface on 'batch')
//   parent → { type: 'batch', first, last }  → { type: 'pages', total, pages: [{ number, text }] }
//                                            or { type: 'error', name, message }
//   parent → { type: 'render', page, width } → { type: 'image', data: Uint8Array (PNG) }
//   parent → { type: 'release' }             → { type: 'released' }
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';
// pdf.js in Node runs its "worker" on this thread; loading it now, not at the first document,
// keeps that cost off the user's wait (the parent keeps a worker started ahead of need).
import * as pdfjsWorker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';

globalThis.pdfjsWorker = pdfjsWorker;

if (parentPort === null) throw new Error('pdf-worker must run in a worker thread');
const port = parentPort;
let parser;

async function release() {
  const current = parser;
  parser = undefined;
  await current?.destroy().catch(() => undefined);
}

port.on('message', async (message) => {
  if (message.type === 'open') {
    await release();
    parser = new PDFParse({ data: message.data, verbosity: 0, isEvalSupported: false, stopAtErrors: false });
    return;
  }
  if (message.type === 'render') {
    try {
      if (parser === undefined) throw new Error('no document opened');
      const shot = await parser.getScreenshot({ partial: [message.page], desiredWidth: message.width, imageBuffer: true, imageDataUrl: false });
      const page = shot.pages[0];
      if (!page?.data) throw new Error(`page ${message.page} could not be rendered`);
      port.postMessage({ type: 'image', data: page.data });
    } catch (error) {
      port.postMessage({ type: 'error', name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (message.type === 'release') {
    await release();
    port.postMessage({ type: 'released' });
    return;
  }
  try {
    if (parser === undefined) throw new Error('no document opened');
    const result = await parser.getText({ first: message.first, last: message.last, pageJoiner: '', lineEnforce: true });
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
