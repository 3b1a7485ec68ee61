import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PdfParseParser } from '../../../../src/core/providers/readers/pdf-parser.js';
import { rawPdf } from '../../../helpers/pdfs.js';

/** One blank page of the given size in points, as a minimal PDF. */
function pagePdf(width: number, height: number): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] >>`];
  return rawPdf(objects, '1.4');
}

describe('rendering pages for OCR', () => {
  it('renders an A4 page at the width asked, and a very tall page within the pixel budget', async () => {
    const parser = new PdfParseParser();
    try {
      const a4 = await parser.open(pagePdf(595, 842), { timeoutMs: 30_000 });
      const normal = await sharp(await a4.renderPage!(1, 2000)).metadata();
      await a4.close();
      expect(normal.width).toBe(2000);

      const tall = await parser.open(pagePdf(600, 14_400), { timeoutMs: 30_000 });
      const strip = await sharp(await tall.renderPage!(1, 2000)).metadata();
      await tall.close();
      expect((strip.width ?? 0) * (strip.height ?? 0)).toBeLessThanOrEqual(2000 * 2900 * 1.01);
      expect(strip.width).toBeLessThan(2000);
    } finally {
      await parser.close();
    }
  }, 60_000);
});
