import { UnreadableDocumentError } from '../../ports/errors.js';
import type { DocumentParser, OpenedDocument } from '../../ports/ports.js';
import { unzipLimits } from '../../lib/safe-unzip.js';
import { memoryReason, timeoutReason } from './pdf-refusals.js';
import { documentFormats } from './formats/index.js';
import type { TextReadLimits, TextWorkerData } from './text-reader.js';
import { openWorkerDocument, type WorkerReader } from './worker-document.js';
import { WorkerPool } from './worker-pool.js';
import { readerBudgets, type ReaderRefusals } from './worker-session.js';

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
  private readonly reader: WorkerReader;
  private readonly limits: TextReadLimits;

  constructor(options: TextParserOptions = {}) {
    const { memory, heapMb } = readerBudgets(options);
    this.limits = { unzip: unzipLimits(options.maxUnpackedBytes), partChars: options.partChars ?? PART_CHARS };
    const workerData: TextWorkerData = { reader: (options.reader ?? READER).href, role: 'docent-text-reader' };
    const pool = new WorkerPool({ url: BOOTSTRAP, heapMb, documentsPerWorker: DOCUMENTS_PER_WORKER, workerData });
    this.reader = { pool, memory, refusals: textRefusals, renders: false };
  }

  async open(data: Buffer, options: { timeoutMs: number; kind?: string }): Promise<OpenedDocument> {
    const kind = options.kind;
    if (kind === undefined || documentFormats.byId(kind)?.reader.kind !== 'parts') throw new Error('TextDocumentParser reads the formats read in parts; PDFs go to the PDF reader');
    return openWorkerDocument(this.reader, data, options.timeoutMs, { kind, limits: this.limits });
  }

  close(): Promise<void> {
    return this.reader.pool.close();
  }
}
