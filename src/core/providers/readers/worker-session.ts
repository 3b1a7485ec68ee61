import type { Worker } from 'node:worker_threads';
import type { UnreadableDocumentError } from '../../ports/errors.js';
import type { ParsedPage } from '../../ports/ports.js';

/**
 * One document's conversation with a reader in a worker thread (pdf-worker.mjs, text-worker.mjs):
 * page (or part) batches and page renders on request, under the document's time limit and the
 * process's memory watch, with the reader's errors turned into refusals that name their cause.
 * The main thread only waits, so it keeps serving while a file is read, however hostile.
 */

export type WorkerReply =
  | { type: 'pages'; total: number; pages: ParsedPage[] }
  | { type: 'error'; name: string; message: string; code?: string; userMessage?: string }
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
 * grown the process by at least as much: memory the rest of the bot holds never stops a document.
 */
const MEMORY_HEADROOM = 64 * MIB;

export interface MemoryWatch {
  readonly limitBytes: number;
  readonly sample: () => number;
}

/**
 * A reader's budgets: the process's memory (RSS) ceiling while a document is read, 1 GiB unless
 * told, and its workers' JavaScript heap, half of that ceiling (at least 128 MB) unless told; the
 * rest is for native memory and the bot.
 */
export function readerBudgets(options: { memoryLimitBytes?: number; maxHeapMb?: number; sampleMemory?: () => number }): { memory: MemoryWatch; heapMb: number } {
  const limit = options.memoryLimitBytes ?? 1024 * MIB;
  return {
    memory: { limitBytes: limit, sample: options.sampleMemory ?? (() => process.memoryUsage.rss()) },
    heapMb: options.maxHeapMb ?? Math.max(128, Math.floor(limit / MIB / 2)),
  };
}

/** How a reader's failures read to the user: each names its cause and, for a budget, the budget. */
export interface ReaderRefusals {
  /** What the reader is called in the logs ("the PDF reader"). */
  readonly reader: string;
  timeout(timeoutMs: number): UnreadableDocumentError;
  memory(limitBytes: number, detail: string): UnreadableDocumentError;
  /** An error the reader reported, or `WorkerError` when the worker itself failed. */
  failure(reply: { name: string; message: string; code?: string | undefined; userMessage?: string | undefined }): UnreadableDocumentError;
}

export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
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
    private readonly refusals: ReaderRefusals,
  ) {}

  request(first: number, last: number): Promise<{ total: number; pages: ParsedPage[] }> {
    return this.exchange({ type: 'batch', first, last }, () => this.remaining()).then((reply) => {
      if (reply.type === 'pages') return { total: reply.total, pages: reply.pages };
      throw this.unexpected(reply);
    });
  }

  render(page: number, width: number): Promise<Buffer> {
    return this.exchange({ type: 'render', page, width }, () => this.remaining()).then((reply) => {
      if (reply.type === 'image') return Buffer.from(reply.data);
      throw this.unexpected(reply);
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

  private unexpected(reply: WorkerReply): UnreadableDocumentError {
    if (reply.type === 'error') return this.refusals.failure(reply);
    return this.refusals.failure({ name: 'WorkerError', message: `unexpected reply from ${this.refusals.reader}` });
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
    if (!this.healthy) return Promise.reject(this.failure ?? this.refusals.failure({ name: 'WorkerError', message: `${this.refusals.reader} stopped after an earlier failure` }));
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
      const timer = setTimeout(() => {
        fail(this.refusals.timeout(this.timeoutMs));
        // Terminated now, not at close(): a reader stuck in a loop must not keep a core busy meanwhile.
        void worker.terminate();
      }, Math.max(0, waitMs));
      // Native and external memory (a canvas, inflated archive parts) is not in the worker's heap
      // limit, so the process itself is watched: a request that would take it past the limit ends the worker.
      const before = this.memory.sample();
      const watch = setInterval(() => {
        const now = this.memory.sample();
        if (now < this.memory.limitBytes - MEMORY_HEADROOM || now - before < MEMORY_HEADROOM) return;
        fail(this.refusals.memory(this.memory.limitBytes, `process memory reached ${Math.round(now / MIB)} MiB (limit ${Math.round(this.memory.limitBytes / MIB)} MiB)`));
        void worker.terminate();
      }, MEMORY_SAMPLE_MS);
      watch.unref();
      const onMessage = (reply: WorkerReply) => {
        cleanup();
        resolve(reply);
      };
      const onError = (error: Error & { code?: string }) =>
        fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.refusals.memory(this.memory.limitBytes, error.message) : this.refusals.failure({ name: 'WorkerError', message: error.message }));
      const onExit = () => fail(this.refusals.failure({ name: 'WorkerError', message: `${this.refusals.reader} stopped unexpectedly` }));
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(message);
    });
  }
}
