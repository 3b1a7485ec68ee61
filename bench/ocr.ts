import os from 'node:os';
import sharp from 'sharp';
import { loadConfig } from '../src/config.js';
import { composeCore } from '../src/composition/compose-core.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from '../test/helpers/core.js';
import { makePicturePdf } from '../test/helpers/pdfs.js';

const LINES = [
  'Harbour authority monthly report',
  'Vessels handled this month: 412',
  'Average turnaround time was 19 hours',
  'Container volume rose by 6 percent',
  'Berth 4 was closed for dredging',
  'Two new cranes enter service in May',
  'Staff safety training is complete',
  'Fuel use per vessel fell by 3 percent',
];

/** A printed page as a scanner would deliver it: black text on white, 150 dpi. */
async function page(n: number): Promise<Buffer> {
  const lines = LINES.map((l, i) => `<text x="60" y="${140 + i * 110}" font-family="DejaVu Sans" font-size="44" fill="black">${i === 0 ? `${l}, page ${n}` : l}</text>`).join('');
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1100"><rect width="100%" height="100%" fill="white"/>${lines}</svg>`))
    .png()
    .toBuffer();
}

/**
 * Offline OCR of a 25-page scanned PDF (tesseract, one worker per core, no keys), end to end
 * through ingest: pages rendered, read, chunked and stored. Target: ≤ 60 s on 2 cores.
 */
export async function benchOcr(pages = 25): Promise<Record<string, unknown>> {
  const pictures = await Promise.all([1, 2, 3].map(page));
  const pdf = await makePicturePdf(pictures, pages);
  const core = await composeCore(loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'silent', OCR_TIMEOUT_SECONDS: '600', OCR_WORKERS: process.env.OCR_WORKERS ?? '' }), memoryLogger(), { embedder: null });
  await core.start();
  const started = performance.now();
  const result = await core.knowledge.ingest(scope('bench-ocr'), bufferFile('scanned.pdf', pdf), alice);
  const seconds = (performance.now() - started) / 1000;
  await core.close();
  return {
    pages,
    ocrPages: result.document.ocrPages,
    passages: result.document.chunks,
    seconds: Number(seconds.toFixed(1)),
    pagesPerSecond: Number((pages / seconds).toFixed(2)),
    workers: Number(process.env.OCR_WORKERS) || os.availableParallelism(),
    target: `${pages} scanned pages in ≤ 60 s on 2 cores`,
    targetMet: seconds <= 60,
  };
}
