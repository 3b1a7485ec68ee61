import type { OpenedDocument, ParsedPage } from '../../ports/ports.js';
import type { WorkerSession } from './worker-session.js';

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
