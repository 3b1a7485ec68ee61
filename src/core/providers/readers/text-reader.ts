// The parts reader: every format whose reader reads it in parts (Word, PowerPoint, Excel, Markdown,
// HTML, CSV, text: providers/readers/formats), run in a worker thread by text-parser.ts through
// text-worker.mjs. It speaks the PDF worker's protocol:
//   worker → { type: 'ready' }                          once loaded
//   parent → { type: 'open', data, kind, limits }       (no answer; the file is read at once, errors surface on 'batch')
//   parent → { type: 'batch', first, last }  → { type: 'pages', total, pages: [{ number, text, section? }] }
//                                            or { type: 'error', name, message, code?, userMessage? }
//   parent → { type: 'release' }             → { type: 'released' }
import { parentPort, workerData } from 'node:worker_threads';
import { DocentError } from '../../ports/errors.js';
import type { ParsedPage } from '../../ports/ports.js';
import { withUnzipLimits, type UnzipLimits } from '../../lib/safe-unzip.js';
import type { TextPart } from './formats/document-format.js';
import { documentFormats } from './formats/index.js';

export interface TextReadLimits {
  readonly unzip: UnzipLimits;
  /** Most characters in one part: a longer one (a file of one huge line) is cut, so each part stays a page's work. */
  readonly partChars: number;
}

/** A document's parts, read by the reader its format (`kind`, its id) names; damage is said in the format's words. */
export function readTextDocument(kind: string, data: Buffer): Promise<readonly TextPart[]> {
  return documentFormats.read(kind, data);
}

/** The document's parts as pages, read under the limits (archives unpack under the unpack limits: util/safe-unzip.ts). */
export async function readParts(kind: string, data: Buffer, limits: TextReadLimits): Promise<ParsedPage[]> {
  return withUnzipLimits(limits.unzip, async () => pagesOf(await readTextDocument(kind, data), limits.partChars));
}

/** Numbers the parts as pages, cutting any part longer than `max` characters at a space or line break. */
export function pagesOf(parts: readonly TextPart[], max: number): ParsedPage[] {
  const pages: ParsedPage[] = [];
  for (const part of parts) {
    for (const text of cut(part.text, max)) pages.push({ number: pages.length + 1, text, ...(part.section !== undefined ? { section: part.section } : {}) });
  }
  return pages;
}

function cut(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const window = text.slice(start + Math.floor(max / 2), start + max);
    const breakAt = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const end = breakAt >= 0 ? start + Math.floor(max / 2) + breakAt + 1 : start + max;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}

interface OpenMessage {
  readonly type: 'open';
  readonly data: Uint8Array;
  readonly kind: string;
  readonly limits: TextReadLimits;
}
type Message = OpenMessage | { readonly type: 'batch'; readonly first: number; readonly last: number } | { readonly type: 'release' } | { readonly type: 'render' };

function errorReply(error: unknown): object {
  if (error instanceof DocentError) return { type: 'error', name: error.name, message: error.message, code: error.code, userMessage: error.userMessage };
  return { type: 'error', name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}

/** What text-worker.mjs is started with; only then does this module serve its parent. */
export interface TextWorkerData {
  readonly reader: string;
  readonly role: 'docent-text-reader';
}

const isTextWorkerData = (value: unknown): value is TextWorkerData => typeof value === 'object' && value !== null && (value as { role?: unknown }).role === 'docent-text-reader';

/** Serves the parent, when loaded by text-worker.mjs (never in another thread that imports it). */
function serve(): void {
  const port = parentPort;
  if (port === null || !isTextWorkerData(workerData)) return;
  let reading: Promise<ParsedPage[]> | undefined;
  port.on('message', async (message: Message) => {
    if (message.type === 'open') {
      const data = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
      reading = readParts(message.kind, data, message.limits);
      // Failures are reported on the next batch request.
      reading.catch(() => undefined);
      return;
    }
    if (message.type === 'release') {
      reading = undefined;
      port.postMessage({ type: 'released' });
      return;
    }
    if (message.type === 'render') {
      port.postMessage({ type: 'error', name: 'Error', message: 'this reader has no pages to render' });
      return;
    }
    try {
      if (reading === undefined) throw new Error('no document opened');
      const pages = await reading;
      port.postMessage({ type: 'pages', total: pages.length, pages: pages.slice(message.first - 1, message.last) });
    } catch (error) {
      port.postMessage(errorReply(error));
    }
  });
  port.postMessage({ type: 'ready' });
}

serve();
