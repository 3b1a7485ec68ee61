import { UnreadableDocumentError } from '../../ports/errors.js';
import type { DocumentParser, OpenedDocument } from '../../ports/ports.js';
import { unzipLimits } from '../../lib/safe-unzip.js';
import { memoryReason, timeoutReason } from './pdf-refusals.js';
import { documentFormats } from './formats/index.js';
import type { TextReadLimits, TextWorkerData } from './text-reader.js';
import { WorkerDocument } from './worker-document.js';
import { WorkerPool } from './worker-pool.js';
import { MIB, WorkerSession, type MemoryWatch, type ReaderRefusals } from './worker-session.js';

const BOOTSTRAP = new URL('./text-worker.mjs', import.meta.url);
/** The reader module, as this file is run: TypeScript under tsx and vitest, JavaScript when compiled. */
const READER = new URL(import.meta.url.endsWith('.ts') ? './text-reader.ts' : './text-reader.js', import.meta.url);
/** A worker reads this many documents, then is replaced, so nothing the readers keep can pile up. */
const DOCUMENTS_PER_WORKER = 50;
/**
 * Most characters in one part (about four dense PDF pages): a longer part is cut, so the work the
 * main thread does per part (chunking, the batch it receives) stays what a page costs, and
 * MAX_PDF_PAGES bounds a document's characters as it bounds a PDF's.
 */
export const PART_CHARS = 20_000;

export interface TextParserOptions {
  /** The process's memory ceiling while a document is read (PDF_MEMORY_MB); the worker's heap gets half. */
  readonly memoryLimitBytes?: number;
  readonly maxHeapMb?: number;
  /** What an Office file may really unpack to (MAX_UNPACKED_MB). */
  readonly maxUnpackedBytes?: number;
  readonly partChars?: number;
  readonly sampleMemory?: () => number;
  /** Another reader module speaking the same protocol (tests: a reader that never finishes). */
  readonly reader?: URL;
}

const textRefusals: ReaderRefusals = {
  reader: 'the document reader',
  timeout: (ms) => new UnreadableDocumentError('read_timeout', timeoutReason(ms)),
  memory: (limit, detail) => new UnreadableDocumentError('read_too_complex', memoryReason(limit), { detail }),
  failure: ({ name, message, code, userMessage }) =>
    code !== undefined && userMessage !== undefined
      ? new UnreadableDocumentError(code, userMessage, { detail: message })
      : new UnreadableDocumentError('document_corrupt', 'it could not be read; it may be damaged', { detail: `${name}: ${message}` }),
};

/**
 * Word, PowerPoint, Excel, Markdown, HTML, CSV and plain text, read in a worker thread under the
 * budgets PDFs have: the time limit (PDF_TIMEOUT_SECONDS, enforced by terminating the worker), the
 * worker's heap limit and the process's memory watch (PDF_MEMORY_MB), the unpack limits for Office
 * archives (MAX_UNPACKED_MB), and parts of bounded size handed over a batch at a time.
 */
export class TextDocumentParser implements DocumentParser {
  private readonly memory: MemoryWatch;
  private readonly pool: WorkerPool;
  private readonly limits: TextReadLimits;

  constructor(options: TextParserOptions = {}) {
    const limit = options.memoryLimitBytes ?? 1024 * MIB;
    this.memory = { limitBytes: limit, sample: options.sampleMemory ?? (() => process.memoryUsage.rss()) };
    this.limits = { unzip: unzipLimits(options.maxUnpackedBytes), partChars: options.partChars ?? PART_CHARS };
    const workerData: TextWorkerData = { reader: (options.reader ?? READER).href, role: 'docent-text-reader' };
    this.pool = new WorkerPool({ url: BOOTSTRAP, heapMb: options.maxHeapMb ?? Math.max(128, Math.floor(limit / MIB / 2)), documentsPerWorker: DOCUMENTS_PER_WORKER, workerData });
  }

  async open(data: Buffer, options: { timeoutMs: number; kind?: string }): Promise<OpenedDocument> {
    const kind = options.kind;
    if (kind === undefined || documentFormats.byId(kind)?.reader.kind !== 'parts') throw new Error('TextDocumentParser reads the formats read in parts; PDFs go to the PDF reader');
    const pooled = await this.pool.take();
    const copy = new Uint8Array(data);
    pooled.worker.postMessage({ type: 'open', data: copy, kind, limits: this.limits }, [copy.buffer]);
    const session = new WorkerSession(pooled, options.timeoutMs, this.memory, (w) => this.pool.recycle(w), textRefusals);
    try {
      const first = await session.request(1, 1);
      return new WorkerDocument(session, first.total, first.pages, { renders: false });
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
