import { Worker } from 'node:worker_threads';
import { UnreadableDocumentError } from '../errors.js';
import type { DocumentParser, OpenedDocument, ParsedPage } from '../ports.js';

type WorkerReply =
  | { type: 'pages'; total: number; pages: ParsedPage[] }
  | { type: 'error'; name: string; message: string };

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);

/**
 * pdf-parse 2.x (pdf.js 5) in a worker thread. The worker keeps the document open and hands
 * back pages one batch at a time, so memory follows the batch, not the page count; the time
 * limit covers the whole document and is enforced by terminating the worker, so even a parser
 * stuck in a loop cannot hang the bot.
 */
export class PdfParseParser implements DocumentParser {
  private readonly maxHeapMb: number;
  /** One worker started ahead of need, so pdf.js is already loaded when a document arrives. */
  private spare: Worker | undefined;

  constructor(options: { maxHeapMb?: number } = {}) {
    this.maxHeapMb = options.maxHeapMb ?? 1024;
  }

  async open(data: Buffer, options: { timeoutMs: number }): Promise<OpenedDocument> {
    const worker = this.spare ?? this.startWorker();
    this.spare = this.startWorker();
    const copy = new Uint8Array(data);
    worker.postMessage({ type: 'open', data: copy }, [copy.buffer]);
    const deadline = Date.now() + options.timeoutMs;
    const session = new WorkerSession(worker, deadline, options.timeoutMs);
    try {
      const first = await session.request(1, 1);
      return new PdfDocument(session, first.total, first.pages);
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  /** Stops the spare worker; documents still open keep their own worker until closed. */
  async close(): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare) await spare.terminate();
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // Errors are reported to the session that uses the worker; an idle spare's error must not crash the bot.
    worker.on('error', () => undefined);
    // A spare that is never used must not keep the process alive.
    worker.unref();
    return worker;
  }
}

class WorkerSession {
  private closed = false;
  private failure: Error | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {
    worker.on('error', (error) => {
      this.failure = error;
    });
  }

  request(first: number, last: number): Promise<{ total: number; pages: ParsedPage[] }> {
    if (this.failure) return Promise.reject(translate('WorkerError', this.failure.message));
    return new Promise((resolve, reject) => {
      const remaining = this.deadline - Date.now();
      const cleanup = () => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
        this.worker.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        cleanup();
        void this.close();
        reject(
          new UnreadableDocumentError(
            'pdf_timeout',
            `reading it took longer than the ${Math.round(this.timeoutMs / 1000)} s limit (PDF_TIMEOUT_SECONDS); the file may be damaged or unusually complex`,
          ),
        );
      }, Math.max(0, remaining));
      const onMessage = (reply: WorkerReply) => {
        cleanup();
        if (reply.type === 'pages') resolve({ total: reply.total, pages: reply.pages });
        else reject(translate(reply.name, reply.message));
      };
      const onError = (error: Error & { code?: string }) => {
        cleanup();
        reject(translate(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'OutOfMemory' : 'WorkerError', error.message));
      };
      const onExit = () => {
        cleanup();
        reject(translate('WorkerError', 'the PDF reader stopped unexpectedly'));
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', onError);
      this.worker.once('exit', onExit);
      this.worker.postMessage({ type: 'batch', first, last });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }
}

class PdfDocument implements OpenedDocument {
  constructor(
    private readonly session: WorkerSession,
    readonly pageCount: number,
    private readonly firstPages: ParsedPage[],
  ) {}

  async *pages(batchSize: number): AsyncIterable<ParsedPage[]> {
    yield this.firstPages;
    for (let first = 2; first <= this.pageCount; first += batchSize) {
      const last = Math.min(this.pageCount, first + batchSize - 1);
      const { pages } = await this.session.request(first, last);
      yield pages;
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

function translate(name: string, message: string): UnreadableDocumentError {
  switch (name) {
    case 'PasswordException':
      return new UnreadableDocumentError(
        'pdf_encrypted',
        'it is password-protected; save or print it as a PDF without a password and post it again',
        { detail: message },
      );
    case 'InvalidPDFException':
      if (/empty/i.test(message)) return new UnreadableDocumentError('pdf_empty', 'the file is empty', { detail: message });
      return new UnreadableDocumentError(
        'pdf_corrupt',
        `it is damaged or not a complete PDF (${message.replace(/\.$/, '')}); if it was cut off while downloading, upload it again`,
        { detail: message },
      );
    case 'OutOfMemory':
      return new UnreadableDocumentError('pdf_too_complex', 'it needs more memory to read than Docent allows; it may be damaged or unusually complex', {
        detail: message,
      });
    default:
      return new UnreadableDocumentError(
        'pdf_corrupt',
        `it is damaged and could not be read (${message.replace(/\.$/, '')})`,
        { detail: `${name}: ${message}` },
      );
  }
}
