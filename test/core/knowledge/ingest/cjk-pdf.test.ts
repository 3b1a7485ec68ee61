import { describe, expect, it } from 'vitest';
import { composeCore } from '../../../../src/composition/compose-core.js';
import { alice, bufferFile, memoryLogger, scope, testConfig } from '../../../helpers/core.js';
import { rawPdf } from '../../../helpers/pdfs.js';

/**
 * A Japanese PDF as many are made: a Type0 font that names Adobe's UniJIS-UCS2-H CMap and a
 * Japanese font it does not embed. Its text can only be read with pdf.js's packed CMaps.
 */
function japanesePdf(): Buffer {
  // あいうえお 日本語, as UCS-2 codes.
  const content = 'BT /F1 24 Tf 20 100 Td <3042304430463048304A002065E5672C8A9E> Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /UniJIS-UCS2-H /DescendantFonts [6 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 7 0 R >>',
    '<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>',
  ];
  return rawPdf(objects, '1.7');
}

describe('PDFs whose fonts need CMaps', () => {
  it('reads Japanese text through pdf.js’s packed CMaps from the installed package, and answers from it', async () => {
    const core = await composeCore(testConfig({}), memoryLogger(), { embedder: null });
    await core.start();
    const result = await core.knowledge.ingest(scope('C-jp'), bufferFile('nihongo.pdf', japanesePdf()), alice);
    expect(result.document.chunks).toBeGreaterThan(0);
    const search = await core.knowledge.search(scope('C-jp'), '日本語', 3);
    expect(search.hits[0]?.text).toContain('あいうえお');
    expect(search.hits[0]?.text).toContain('日本語');
    await core.close();
  });
});
