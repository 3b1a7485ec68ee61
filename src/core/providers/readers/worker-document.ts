import type { OpenedDocument, ParsedPage } from '../../ports/ports.js';
import type { WorkerPool } from './worker-pool.js';
import { WorkerSession, type MemoryWatch, type ReaderRefusals } from './worker-session.js';

/** A reader whose documents are read in its pool's workers (pdf-parser.ts, text-parser.ts). */
export interface WorkerReader {
  readonly pool: WorkerPool;
  readonly memory: MemoryWatch;
  readonly refusals: ReaderRefusals;
  /** Its documents' pages can be rendered as images (PDFs, for OCR). */
  readonly renders: boolean;
}

/**
 * Opens a document in one of the reader's workers: the bytes are moved to it in an `open` message
 * (with `fields`, what the reader needs besides), and its first page (or part) is read, which also
 * tells how many there are. A failure closes the session before it is thrown.
 */
export async function openWorkerDocument(reader: WorkerReader, data: Buffer, timeoutMs: number, fields: Readonly<Record<string, unknown>> = {}): Promise<WorkerDocument> {
  const pooled = await reader.pool.take();
  const copy = new Uint8Array(data);
  pooled.worker.postMessage({ type: 'open', data: copy, ...fields }, [copy.buffer]);
  const session = new WorkerSession(pooled, timeoutMs, reader.memory, (w) => reader.pool.recycle(w), reader.refusals);
  try {
    const first = await session.request(1, 1);
    return new WorkerDocument(session, first.total, first.pages, { renders: reader.renders });
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * A document a worker holds open, read in page (or part) batches on request; PDFs also render
 * pages for OCR. The first batch was read when it was opened.
 */
export class WorkerDocument implements OpenedDocument {
  readonly renderPage: ((page: number, width: number) => Promise<Buffer>) | undefined;

  constructor(
    private readonly session: WorkerSession,
    readonly pageCount: number,
    private readonly firstPages: ParsedPage[],
    options: { renders: boolean },
  ) {
    this.renderPage = options.renders ? (page, width) => this.session.render(page, width) : undefined;
  }

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

  close(): Promise<void> {
    return this.session.close();
  }
}
