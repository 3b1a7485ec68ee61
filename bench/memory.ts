import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { tempDir } from '../test/helpers/core.js';
import { makePatternCyclePdf, makePicturePdf } from '../test/helpers/pdfs.js';
import { sharedDir } from '../test/helpers/shared.js';

const run = promisify(execFile);
const CHILD = new URL('../test/helpers/measure-ingest.ts', import.meta.url).pathname;
const LIMIT_MIB = 1024;

async function scannedPdf(pages: number): Promise<Buffer> {
  const lines = Array.from({ length: 8 }, (_, i) => `<text x="60" y="${140 + i * 110}" font-family="DejaVu Sans" font-size="44">Line ${i + 1} of a scanned report</text>`).join('');
  const picture = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1100"><rect width="100%" height="100%" fill="white"/>${lines}</svg>`)).png().toBuffer();
  return makePicturePdf([picture], pages);
}

/** The documents measured: every hostile fixture (when ../shared is present) and generated worst cases. */
async function documents(): Promise<string[]> {
  const dir = tempDir();
  const generated: [string, Buffer][] = [
    ['pattern-cycle.pdf', makePatternCyclePdf()],
    ['scanned-25-pages.pdf', await scannedPdf(25)],
  ];
  const files = generated.map(([name, data]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, data);
    return file;
  });
  const hostile = path.join(sharedDir, 'fixtures', 'hostile-pdfs');
  if (fs.existsSync(hostile)) files.push(...fs.readdirSync(hostile).filter((f) => f.endsWith('.pdf')).sort().map((f) => path.join(hostile, f)));
  return files;
}

/**
 * Peak memory of the whole process (resident set, all threads) while one document is indexed
 * offline with OCR, each in a fresh process: target ≤ 1 GiB (PDF_MEMORY_MB's default) for every one.
 */
export async function benchMemory(): Promise<Record<string, unknown>> {
  const results: Record<string, { outcome: string; seconds: number; peakMiB: number }> = {};
  for (const file of await documents()) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, file], { maxBuffer: 1 << 20, timeout: 15 * 60_000 });
    results[path.basename(file)] = JSON.parse(stdout.trim().split('\n').at(-1) as string);
  }
  const peaks = Object.values(results).map((r) => r.peakMiB);
  const worst = Math.max(...peaks);
  return {
    documents: peaks.length,
    worstPeakMiB: worst,
    worstDocument: Object.keys(results).find((k) => results[k]?.peakMiB === worst),
    target: `every document ≤ ${LIMIT_MIB} MiB for the whole process`,
    targetMet: worst <= LIMIT_MIB,
    perDocument: results,
  };
}
