import { Worker } from 'node:worker_threads';
import { UnreadableDocumentError } from '../errors.js';
import type { DocumentParser, OpenedDocument, ParsedPage } from '../ports.js';

type WorkerReply =
  | { type: 'pages'; total: number; pages: ParsedPage[] }
  | { type: 'error'; name: string; message: string }
  | { type: 'image'; data: Uint8Array }
  | { type: 'released' };

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);
/** A worker reads this many documents, then is replaced, so nothing pdf.js keeps can pile up. */
const DOCUMENTS_PER_WORKER = 50;

interface PooledWorker {
  readonly worker: Worker;
  uses: number;
}

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

const MIB = 1024 * 1024;
/** How often the process's memory is looked at while the worker works. */
const MEMORY_SAMPLE_MS = 100;
/**
 * The worker is stopped this far below the limit, and only when its current request has itself
 * grown the process by at least as much: memory the rest of the bot holds never stops a PDF.
 */
const MEMORY_HEADROOM = 64 * MIB;

interface MemoryWatch {
  readonly limitBytes: number;
  readonly sample: () => number;
}

class WorkerSession {
  private done = false;
  private healthy = true;
  /** The first failure; later requests on this document fail with it too. */
  private failure: UnreadableDocumentError | undefined;

  constructor(
    private readonly pooled: PooledWorker,
    private readonly timeoutMs: number,
    private readonly memory: MemoryWatch,
    private readonly recycle: (pooled: PooledWorker) => void,
  ) {}

  request(first: number, last: number): Promise<{ total: number; pages: ParsedPage[] }> {
    return this.exchange({ type: 'batch', first, last }, () => this.remaining()).then((reply) => {
      if (reply.type === 'pages') return { total: reply.total, pages: reply.pages };
      if (reply.type === 'error') throw translate(reply.name, reply.message);
      throw translate('WorkerError', 'unexpected reply from the PDF reader');
    });
  }

  render(page: number, width: number): Promise<Buffer> {
    return this.exchange({ type: 'render', page, width }, () => this.remaining()).then((reply) => {
      if (reply.type === 'image') return Buffer.from(reply.data);
      if (reply.type === 'error') throw translate(reply.name, reply.message);
      throw translate('WorkerError', 'unexpected reply from the PDF reader');
    });
  }

  /** Ends the document: a healthy worker is cleaned and reused, a failed one is terminated. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (this.healthy) {
      try {
        const reply = await this.exchange({ type: 'release' }, 5000);
        if (reply.type === 'released') {
          this.recycle(this.pooled);
          return;
        }
      } catch {
        // fall through to terminate
      }
    }
    await this.pooled.worker.terminate();
  }

  /** One exchange at a time: replies carry no id, so requests (a prefetched batch, a page render) queue. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Time the worker has spent on this document. The limit counts only the reader's own work, not
   * time the caller spends between requests (embedding, OCR of rendered pages).
   */
  private used = 0;

  private remaining(): number {
    return this.timeoutMs - this.used;
  }

  private exchange(message: object, budgetMs: number | (() => number)): Promise<WorkerReply> {
    const run = this.queue.then(async () => {
      const started = performance.now();
      try {
        return await this.exchangeNow(message, typeof budgetMs === 'function' ? budgetMs() : budgetMs);
      } finally {
        this.used += performance.now() - started;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private exchangeNow(message: object, waitMs: number): Promise<WorkerReply> {
    const { worker } = this.pooled;
    if (!this.healthy) return Promise.reject(this.failure ?? translate('WorkerError', 'the PDF reader stopped after an earlier failure'));
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(watch);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const fail = (error: UnreadableDocumentError) => {
        cleanup();
        this.healthy = false;
        this.failure ??= error;
        reject(error);
      };
      const timer = setTimeout(
        () =>
          fail(
            new UnreadableDocumentError(
              'pdf_timeout',
              `reading it took longer than the ${formatSeconds(this.timeoutMs)} limit (PDF_TIMEOUT_SECONDS); the file may be damaged or unusually complex`,
            ),
          ),
        Math.max(0, waitMs),
      );
      // Native memory (a canvas, pdf.js's pattern and image caches) is not in the worker's heap
      // limit, so the process itself is watched: a page that would take it past the limit ends the worker.
      const before = this.memory.sample();
      const watch = setInterval(() => {
        const now = this.memory.sample();
        if (now < this.memory.limitBytes - MEMORY_HEADROOM || now - before < MEMORY_HEADROOM) return;
        fail(translate('OutOfMemory', `process memory reached ${Math.round(now / MIB)} MiB (limit ${Math.round(this.memory.limitBytes / MIB)} MiB)`));
        void worker.terminate();
      }, MEMORY_SAMPLE_MS);
      watch.unref();
      const onMessage = (reply: WorkerReply) => {
        cleanup();
        resolve(reply);
      };
      const onError = (error: Error & { code?: string }) =>
        fail(translate(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'OutOfMemory' : 'WorkerError', error.message));
      const onExit = () => fail(translate('WorkerError', 'the PDF reader stopped unexpectedly'));
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(message);
    });
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

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/**
 * What pdf.js's error means, in words a user can act on (" (its page tree is broken)"), or
 * nothing: the reader's own text ("Illegal character: 41") stays in the logs.
 */
export function plainCause(message: string): string {
  const causes: [RegExp, string][] = [
    [/Invalid Root|Invalid XRef|XRef|startxref|trailer|Invalid PDF structure/i, 'its cross-reference table or trailer is broken'],
    [/circular reference|Pages tree|page tree|Page dictionary|kids/i, 'its page tree is broken'],
    [/flate|stream|Decode|zlib/i, 'a compressed stream in it is broken'],
    [/Illegal character|Unexpected|Unknown command|FormatError|Unterminated|End of file/i, 'its content is malformed'],
  ];
  const found = causes.find(([pattern]) => pattern.test(message));
  return found ? ` (${found[1]})` : '';
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
        `it is damaged or not a complete PDF${plainCause(message)}; if it was cut off while downloading, upload it again`,
        { detail: message },
      );
    case 'OutOfMemory':
      return new UnreadableDocumentError('pdf_too_complex', 'it needs more memory to read than Docent allows (PDF_MEMORY_MB); it may be damaged or unusually complex', {
        detail: message,
      });
    default:
      return new UnreadableDocumentError('pdf_corrupt', `it is damaged and could not be read${plainCause(message)}`, {
        detail: `${name}: ${message}`,
      });
  }
}
