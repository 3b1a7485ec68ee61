import { Worker } from 'node:worker_threads';
import type { PooledWorker } from './worker-session.js';

export interface WorkerPoolOptions {
  /** The worker's script; it posts `{ type: 'ready' }` once it has loaded its reader. */
  readonly url: URL;
  /** The worker's JavaScript heap limit. */
  readonly heapMb: number;
  /** A worker reads this many documents, then is replaced, so nothing a reader keeps can pile up. */
  readonly documentsPerWorker: number;
  readonly workerData?: unknown;
}

/** How long a worker may take to load its reader before it counts as broken. */
const START_TIMEOUT_MS = 60_000;

/**
 * Reader workers, one per open document, with one idle worker kept warm for the next: loading a
 * reader (pdf.js, or the Office and text readers) is paid before a document arrives, and never
 * counted in the document's time budget.
 */
export class WorkerPool {
  private idle: Promise<PooledWorker> | undefined;
  private closed = false;
  /** Workers that stopped (crashed while idle): never handed out. */
  private readonly exited = new WeakSet<Worker>();

  constructor(private readonly options: WorkerPoolOptions) {}

  /** A worker ready to read (the warm one, or a new one). */
  async take(): Promise<PooledWorker> {
    const warm = this.idle;
    this.idle = undefined;
    let pooled = warm ? await warm.catch(() => undefined) : undefined;
    if (!pooled || this.exited.has(pooled.worker)) pooled = await this.start();
    pooled.uses++;
    return pooled;
  }

  /** Takes a worker back after a document: kept warm, or replaced when it has read enough. */
  recycle(pooled: PooledWorker): void {
    if (this.closed || this.idle || pooled.uses >= this.options.documentsPerWorker) {
      void pooled.worker.terminate();
      if (!this.closed && !this.idle) this.warm();
      return;
    }
    this.idle = Promise.resolve(pooled);
  }

  /** Stops the idle worker; documents still open keep theirs until closed. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle;
    this.idle = undefined;
    if (idle) await idle.then((pooled) => pooled.worker.terminate()).catch(() => undefined);
  }

  /** Starts the next worker ahead of need; a failure to start shows at the next take(). */
  private warm(): void {
    const starting = this.start();
    starting.catch(() => {
      if (this.idle === starting) this.idle = undefined;
    });
    this.idle = starting;
  }

  private start(): Promise<PooledWorker> {
    const worker = new Worker(this.options.url, {
      // No loader hooks inherited from the parent (tsx, vitest): the worker sets up what it needs itself.
      execArgv: [],
      workerData: this.options.workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // An idle worker must not keep the process alive.
    worker.unref();
    worker.once('exit', () => this.exited.add(worker));
    const where = this.options.url.pathname;
    return new Promise<PooledWorker>((resolve, reject) => {
      let ready = false;
      const fail = (error: Error) => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        void worker.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`the reader worker ${where} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      timer.unref();
      // Later failures are reported to the session using the worker; an idle worker's must not crash the bot.
      worker.on('error', fail);
      worker.once('exit', (code) => fail(new Error(`the reader worker ${where} stopped while starting (exit code ${code})`)));
      const onMessage = (message: { type?: string }) => {
        if (message.type !== 'ready' || ready) return;
        ready = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve({ worker, uses: 0 });
      };
      worker.on('message', onMessage);
    });
  }
}
