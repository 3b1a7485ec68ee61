import type { DocumentParser, OpenedDocument } from '../../ports/ports.js';
import { pdfRefusals } from './pdf-refusals.js';
import { WorkerDocument } from './worker-document.js';
import { WorkerPool } from './worker-pool.js';
import { MIB, WorkerSession, type MemoryWatch } from './worker-session.js';

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
  private readonly memory: MemoryWatch;
  private readonly pool: WorkerPool;

  /**
   * `memoryLimitBytes` bounds the whole process (RSS) while a document is read or rendered; the
   * worker's JavaScript heap gets half of it, the rest is for native memory (canvases) and the bot.
   */
  constructor(options: { maxHeapMb?: number; memoryLimitBytes?: number; sampleMemory?: () => number } = {}) {
    const limit = options.memoryLimitBytes ?? 1024 * MIB;
    const heapMb = options.maxHeapMb ?? Math.max(128, Math.floor(limit / MIB / 2));
    this.memory = { limitBytes: limit, sample: options.sampleMemory ?? (() => process.memoryUsage.rss()) };
    this.pool = new WorkerPool({ url: WORKER_URL, heapMb, documentsPerWorker: DOCUMENTS_PER_WORKER });
  }

  async open(data: Buffer, options: { timeoutMs: number }): Promise<OpenedDocument> {
    const pooled = await this.pool.take();
    const copy = new Uint8Array(data);
    pooled.worker.postMessage({ type: 'open', data: copy }, [copy.buffer]);
    const session = new WorkerSession(pooled, options.timeoutMs, this.memory, (w) => this.pool.recycle(w), pdfRefusals);
    try {
      const first = await session.request(1, 1);
      return new WorkerDocument(session, first.total, first.pages, { renders: true });
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /** Stops the idle worker; documents still open keep theirs until closed. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
