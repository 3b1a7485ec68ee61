import fs from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { createScheduler, createWorker, OEM, type Scheduler } from 'tesseract.js';
import type { OcrEngine, PreparedImage } from '../ports.js';

const require = createRequire(import.meta.url);

/** Mean confidence (0–100) under which a page may be turned: it is read again rotated. */
const TURNED_BELOW = 60;
/** A rotation this confident is kept without trying the others. */
const CONFIDENT = 75;

/**
 * Offline OCR with tesseract.js: language models come from the @tesseract.js-data/<code> packages
 * (OCR_LANGUAGES, default eng; never downloaded), nothing is cached on disk. A scheduler spreads
 * pages over `workers` tesseract workers (one per core by default), started together on first use
 * and reused, so the pages of a scanned PDF are read in parallel. A page read with low confidence
 * is read again turned 180°, 90° and 270°, and the most confident reading is kept: pages scanned
 * upside down or sideways come out as text, not gibberish.
 */
export class TesseractOcr implements OcrEngine {
  private scheduler: Promise<Scheduler> | undefined;
  private readonly workers: number;
  private readonly languages: readonly string[];

  constructor(options: { workers?: number; languages?: readonly string[] } = {}) {
    this.workers = options.workers && options.workers > 0 ? options.workers : Math.max(1, availableParallelism());
    this.languages = options.languages && options.languages.length > 0 ? options.languages : ['eng'];
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
    const read = async (data: Buffer) => {
      const { data: result } = await scheduler.addJob('recognize', data);
      return { text: joinCjk(result.text.replace(/\n{3,}/g, '\n\n').trim()), confidence: result.confidence };
    };
    let best = await read(image.data);
    // Nothing read at all is a blank page or a picture; gibberish read with low confidence may be a turned page.
    if (best.confidence >= TURNED_BELOW || best.text.replace(/\s/g, '').length < 3) return best;
    for (const angle of [180, 90, 270]) {
      const turned = await read(await sharp(image.data).rotate(angle).png().toBuffer());
      if (turned.confidence > best.confidence) best = turned;
      if (best.confidence >= CONFIDENT) break;
    }
    return best;
  }

  private async start(): Promise<Scheduler> {
    const scheduler = createScheduler();
    const langPath = languageFolder(this.languages);
    const workers = await Promise.all(
      Array.from({ length: this.workers }, () => createWorker(this.languages.join('+'), OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true })),
    );
    for (const worker of workers) scheduler.addWorker(worker);
    return scheduler;
  }

  async close(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    if (scheduler) await (await scheduler).terminate();
  }
}

/** tesseract puts a space between Chinese and Japanese characters, which are written without: removed. */
const CJK_GAP = /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[ \t]+(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;

export function joinCjk(text: string): string {
  return text.replace(CJK_GAP, '');
}

/**
 * tesseract.js reads every language from one folder; each language's data is in its own package.
 * With one language that package's folder is used; with several, a temporary folder of links to each.
 */
function languageFolder(languages: readonly string[]): string {
  const folderOf = (language: string) => path.join(path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), '4.0.0_best_int');
  if (languages.length === 1) return folderOf(languages[0] ?? 'eng');
  const folder = fs.mkdtempSync(path.join(tmpdir(), 'docent-tessdata-'));
  for (const language of languages) fs.symlinkSync(path.join(folderOf(language), `${language}.traineddata.gz`), path.join(folder, `${language}.traineddata.gz`));
  return folder;
}
