import { Worker } from 'node:worker_threads';
import type { DocumentParser, OpenedDocument, ParsedPage } from '../ports.js';
import { MIB, WorkerSession, type MemoryWatch, type PooledWorker } from './pdf-worker-session.js';

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
  private readonly maxHeapMb: number;
  private readonly memory: MemoryWatch;
  private idle: PooledWorker | undefined;
  private closed = false;

  /**
   * `memoryLimitBytes` bounds the whole process (RSS) while a document is read or rendered; the
   * worker's JavaScript heap gets half of it, the rest is for native memory (canvases) and the bot.
   */
  constructor(options: { maxHeapMb?: number; memoryLimitBytes?: number; sampleMemory?: () => number } = {}) {
    const limit = options.memoryLimitBytes ?? 1024 * MIB;
    this.maxHeapMb = options.maxHeapMb ?? Math.max(128, Math.floor(limit / MIB / 2));
    this.memory = { limitBytes: limit, sample: options.sampleMemory ?? (() => process.memoryUsage.rss()) };
  }

  async open(data: Buffer, options: { timeoutMs: number }): Promise<OpenedDocument> {
    const pooled = this.idle ?? this.startWorker();
    this.idle = undefined;
    pooled.uses++;
    const copy = new Uint8Array(data);
    pooled.worker.postMessage({ type: 'open', data: copy }, [copy.buffer]);
    const session = new WorkerSession(pooled, options.timeoutMs, this.memory, (w) => this.recycle(w));
    try {
      const first = await session.request(1, 1);
      return new PdfDocument(session, first.total, first.pages);
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /** Stops the idle worker; documents still open keep theirs until closed. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle;
    this.idle = undefined;
    if (idle) await idle.worker.terminate();
  }

  private recycle(pooled: PooledWorker): void {
    if (this.closed || this.idle || pooled.uses >= DOCUMENTS_PER_WORKER) {
      void pooled.worker.terminate();
      if (!this.closed && !this.idle) this.idle = this.startWorker();
      return;
    }
    this.idle = pooled;
  }

  private startWorker(): PooledWorker {
    const worker = new Worker(WORKER_URL, {
      // Plain JavaScript: no TypeScript loader hooks (tsx, vitest) in the worker, which would
      // otherwise re-transform pdf.js on every start.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // Failures are reported to the session using the worker; an idle worker's must not crash the bot.
    worker.on('error', () => undefined);
    // An idle worker must not keep the process alive.
    worker.unref();
    return { worker, uses: 0 };
  }
}

class PdfDocument implements OpenedDocument {
  constructor(
    private readonly session: WorkerSession,
    readonly pageCount: number,
    private readonly firstPages: ParsedPage[],
  ) {}

  /**
   * Yields page batches in order. The next batch is requested before the current one is handed
   * over, so the worker reads while the caller chunks, embeds and stores (one request in flight).
   */
  async *pages(batchSize: number): AsyncIterable<ParsedPage[]> {
    const request = (first: number) => {
      if (first > this.pageCount) return undefined;
      const pending = this.session.request(first, Math.min(this.pageCount, first + batchSize - 1));
      // Read ahead: a failure is reported when the batch is reached, not as an unhandled rejection meanwhile.
      pending.catch(() => undefined);
      return pending;
    };
    let next = 2;
    let pending = request(next);
    try {
      yield this.firstPages;
      while (pending) {
        const { pages } = await pending;
        next += batchSize;
        pending = request(next);
        yield pages;
      }
    } finally {
      // Stopped early: the read in flight is abandoned (close() then retires the worker).
      pending?.catch(() => undefined);
    }
  }

  renderPage(page: number, width: number): Promise<Buffer> {
    return this.session.render(page, width);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
