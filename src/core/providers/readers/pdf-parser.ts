import type { DocumentParser, OpenedDocument } from '../../ports/ports.js';
import { pdfRefusals } from './pdf-refusals.js';
import { openWorkerDocument, type WorkerReader } from './worker-document.js';
import { WorkerPool } from './worker-pool.js';
import { readerBudgets } from './worker-session.js';

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);
/** A worker reads this many documents, then is replaced, so nothing pdf.js keeps can pile up. */
const DOCUMENTS_PER_WORKER = 50;

/**
 * pdf-parse 2.x (pdf.js 5) in a worker thread. The worker keeps the document open and hands
 * back pages one batch at a time, so memory follows the batch, not the page count. The time
 * limit covers the whole document and is enforced by terminating the worker, so even a parser
 * stuck in a loop cannot hang the bot. One idle worker is kept warm for the next document.
 */
export class PdfParseParser implements DocumentParser {
  private readonly reader: WorkerReader;

  /**
   * `memoryLimitBytes` bounds the whole process (RSS) while a document is read or rendered; the
   * worker's JavaScript heap gets half of it, the rest is for native memory (canvases) and the bot.
   */
  constructor(options: { maxHeapMb?: number; memoryLimitBytes?: number; sampleMemory?: () => number } = {}) {
    const { memory, heapMb } = readerBudgets(options);
    const pool = new WorkerPool({ url: WORKER_URL, heapMb, documentsPerWorker: DOCUMENTS_PER_WORKER });
    this.reader = { pool, memory, refusals: pdfRefusals, renders: true };
  }

  open(data: Buffer, options: { timeoutMs: number }): Promise<OpenedDocument> {
    return openWorkerDocument(this.reader, data, options.timeoutMs);
  }

  /** Stops the idle worker; documents still open keep theirs until closed. */
  close(): Promise<void> {
    return this.reader.pool.close();
  }
}
