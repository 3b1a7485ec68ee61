import type { Worker } from 'node:worker_threads';
import { UnreadableDocumentError } from '../errors.js';
import type { ParsedPage } from '../ports.js';

/**
 * One document's conversation with a PDF worker (pdf-worker.mjs): page batches and page renders
 * on request, under the document's time limit and the process's memory watch, with the reader's
 * errors turned into refusals that name their cause.
 */

type WorkerReply =
  | { type: 'pages'; total: number; pages: ParsedPage[] }
  | { type: 'error'; name: string; message: string }
  | { type: 'image'; data: Uint8Array }
  | { type: 'released' };

export interface PooledWorker {
  readonly worker: Worker;
  uses: number;
}

export const MIB = 1024 * 1024;
/** How often the process's memory is looked at while the worker works. */
const MEMORY_SAMPLE_MS = 100;
/**
 * The worker is stopped this far below the limit, and only when its current request has itself
 * grown the process by at least as much: memory the rest of the bot holds never stops a PDF.
 */
const MEMORY_HEADROOM = 64 * MIB;

export interface MemoryWatch {
  readonly limitBytes: number;
  readonly sample: () => number;
}

export class WorkerSession {
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
