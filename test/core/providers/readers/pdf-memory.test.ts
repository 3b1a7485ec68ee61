import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../../../../src/core/ports/errors.js';
import { PdfParseParser } from '../../../../src/core/providers/readers/pdf-parser.js';
import { tempDir } from '../../../helpers/core.js';
import { makePatternCyclePdf, makePdf } from '../../../helpers/pdfs.js';

const MIB = 1024 * 1024;
const MEASURE = new URL('../../../helpers/measure-ingest.ts', import.meta.url).pathname;

describe('memory while reading a PDF', () => {
  it('refuses a PDF whose pattern paints itself as too complex, and the whole process stays within 1 GiB', async () => {
    const file = path.join(tempDir(), 'pattern-cycle.pdf');
    fs.writeFileSync(file, makePatternCyclePdf());
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', MEASURE, file], { timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { outcome: string; message: string; peakMiB: number };
    expect(result.outcome).toBe('refused: pdf_too_complex');
    expect(result.message).toContain('reading it needed more than 1,024 MB of memory (PDF_MEMORY_MB)');
    expect(result.message).not.toMatch(/heap|Worker terminated/i);
    expect(result.peakMiB).toBeLessThanOrEqual(1024);
  }, 150_000);

  it('stops the reader when the process passes PDF_MEMORY_MB while a page renders, and reads the next PDF normally', async () => {
    // Once the render starts the process "grows" by 1 GiB: only the watch, not the heap limit, can stop it this soon.
    let rendering = false;
    let looks = 0;
    const parser = new PdfParseParser({ memoryLimitBytes: 512 * MIB, sampleMemory: () => (rendering && looks++ > 0 ? 1224 * MIB : 200 * MIB) });
    try {
      const cycle = await parser.open(makePatternCyclePdf(), { timeoutMs: 60_000 });
      rendering = true;
      const failure = await cycle.renderPage!(1, 1000).catch((error: unknown) => error);
      await cycle.close();
      expect(failure).toBeInstanceOf(UnreadableDocumentError);
      expect((failure as UnreadableDocumentError).code).toBe('pdf_too_complex');
      expect((failure as UnreadableDocumentError).message).toContain('process memory reached 1224 MiB (limit 512 MiB)');

      rendering = false;
      const normal = await parser.open(await makePdf([{ paragraphs: ['A normal page after the complex one.'] }]), { timeoutMs: 30_000 });
      expect(normal.pageCount).toBe(1);
      await normal.close();
    } finally {
      await parser.close();
    }
  }, 60_000);
});
