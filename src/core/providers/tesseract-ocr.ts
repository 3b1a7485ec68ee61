import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { OcrEngine, PreparedImage } from '../ports.js';

const require = createRequire(import.meta.url);

/**
 * Offline OCR with tesseract.js: the English model comes from the @tesseract.js-data/eng package
 * (no CDN), nothing is cached on disk, and one worker is started on first use and reused.
 */
export class TesseractOcr implements OcrEngine {
  private worker: Promise<Worker> | undefined;

  async recognize(image: PreparedImage): Promise<{ text: string; confidence: number }> {
    this.worker ??= createWorker('eng', OEM.LSTM_ONLY, {
      langPath: path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'),
      cacheMethod: 'none',
      gzip: true,
    });
    const worker = await this.worker;
    const { data } = await worker.recognize(image.data);
    return { text: data.text.replace(/\n{3,}/g, '\n\n').trim(), confidence: data.confidence };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker).terminate();
  }
}
