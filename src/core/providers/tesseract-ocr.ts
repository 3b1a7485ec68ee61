import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createScheduler, createWorker, OEM, type Scheduler } from 'tesseract.js';
import type { OcrEngine, PreparedImage } from '../ports.js';

const require = createRequire(import.meta.url);

/**
 * Offline OCR with tesseract.js: the English model comes from the @tesseract.js-data/eng package
 * (no CDN), nothing is cached on disk. A scheduler spreads pages over `workers` tesseract workers
 * (one per core by default), started together on first use and reused, so the pages of a scanned
 * PDF are read in parallel.
 */
export class TesseractOcr implements OcrEngine {
  private scheduler: Promise<Scheduler> | undefined;
  private readonly workers: number;

  constructor(options: { workers?: number } = {}) {
    this.workers = options.workers && options.workers > 0 ? options.workers : Math.max(1, availableParallelism());
  }

  /** How many pages can be read at once. */
  get parallelism(): number {
    return this.workers;
  }

  async recognize(image: PreparedImage): Promise<{ text: string; confidence: number }> {
    if (!this.scheduler) {
      const starting = this.start();
      this.scheduler = starting;
      // A failed start (no memory, bad language data) is tried again next time, not cached.
      starting.catch(() => {
        if (this.scheduler === starting) this.scheduler = undefined;
      });
    }
    const scheduler = await this.scheduler;
    const { data } = await scheduler.addJob('recognize', image.data);
    return { text: data.text.replace(/\n{3,}/g, '\n\n').trim(), confidence: data.confidence };
  }

  private async start(): Promise<Scheduler> {
    const scheduler = createScheduler();
    const langPath = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
    const workers = await Promise.all(Array.from({ length: this.workers }, () => createWorker('eng', OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true })));
    for (const worker of workers) scheduler.addWorker(worker);
    return scheduler;
  }

  async close(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    if (scheduler) await (await scheduler).terminate();
  }
}
