import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/index.js';
import type { PreparedImage } from '../../../../src/core/ports/ports.js';
import { TesseractOcr } from '../../../../src/core/providers/media/tesseract-ocr.js';
import { bufferFile, startCore, testConfig } from '../../../helpers/core.js';
import { CJK_FONT, hasCjkFont } from '../../../helpers/fonts.js';

/** Lines of text rendered black on white, as a scan or a screenshot has them. */
function textImage(lines: readonly string[], options: { font?: string; width?: number; size?: number; gap?: number } = {}): Promise<Buffer> {
  const { font = 'DejaVu Sans', width = 1000, size = 48, gap = 80 } = options;
  const height = 60 + lines.length * gap;
  const text = lines.map((l, i) => `<text x="30" y="${70 + i * gap}" font-family="${font}" font-size="${size}" fill="black">${l}</text>`).join('');
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`))
    .png()
    .toBuffer();
}

const prepared = (data: Buffer): PreparedImage => ({ data, mimeType: 'image/png', width: 0, height: 0, originalWidth: 0, originalHeight: 0, estimatedTokens: 0 });
const cjkFont = hasCjkFont();

describe('offline OCR languages (OCR_LANGUAGES default eng+deu, other scripts detected)', () => {
  let core: Core;
  let ocr: TesseractOcr;
  beforeAll(async () => {
    core = await startCore(testConfig({}));
    await core.start();
    ocr = new TesseractOcr({ workers: 1, languages: testConfig({}).ocr.languages });
  });
  afterAll(async () => {
    await core.close();
    await ocr.close();
  });

  it('reads the German umlaut line “über den faulen Hund” with the default languages', async () => {
    expect(testConfig({}).ocr.languages).toEqual(['eng', 'deu']);
    const image = await textImage(['über den faulen Hund'], { width: 800 });
    const result = await core.vision.look(bufferFile('hund.png', image), 'ocr');
    expect(result.engine).toBe('tesseract (offline)');
    expect(result.text).toContain('über den faulen Hund');
  }, 60_000);

  it('still reads English, and loads no Chinese data for a Latin page', async () => {
    const result = await ocr.recognize(prepared(await textImage(['Invoice 12345', 'Total 99.50 EUR'], { width: 900 })));
    expect(result.text).toContain('Invoice 12345');
    expect(result.text).toContain('Total 99.50 EUR');
    expect(ocr.loaded).toEqual(['deu+eng']);
  }, 60_000);

  it.skipIf(!cjkFont)('reads the Traditional Chinese words 繁體 and 測試 without Chinese configured (the text’s script, from a first pass)', async () => {
    const image = await textImage(['繁體 測試'], { font: CJK_FONT, width: 600 });
    const result = await core.vision.look(bufferFile('tw.png', image), 'ocr');
    expect(result.text).toContain('繁體');
    expect(result.text).toContain('測試');
  }, 60_000);

  it.skipIf(!cjkFont)('reads a Traditional Chinese page as traditional and a Simplified one as simplified, loading the Chinese data only then', async () => {
    const traditional = await ocr.recognize(prepared(await textImage(['港務局月度報告第一頁', '本月處理船隻四百一十二艘', '平均週轉時間為十九小時', '貨櫃吞吐量增長百分之六'], { font: CJK_FONT, width: 1200, size: 44, gap: 110 })));
    expect(traditional.text).toContain('港務局月度報告');
    expect(traditional.text).toContain('平均週轉時間為十九小時');
    const simplified = await ocr.recognize(prepared(await textImage(['港务局月度报告第一页', '平均周转时间为十九小时', '员工安全培训已经完成', '每艘船的燃料消耗下降百分之三'], { font: CJK_FONT, width: 1200, size: 44, gap: 110 })));
    expect(simplified.text).toContain('港务局月度报告');
    expect(simplified.text).toContain('员工安全培训已经完成');
    expect(ocr.loaded).toEqual(expect.arrayContaining(['deu+eng', 'chi_sim', 'chi_tra']));
  }, 120_000);

  it.skipIf(!cjkFont)('reads short Simplified Chinese lines as simplified, too small for OSD', async () => {
    const result = await ocr.recognize(prepared(await textImage(['人口普查报告', '家庭收入中位数'], { font: CJK_FONT, width: 900 })));
    expect(result.text).toContain('人口普查报告');
    expect(result.text).toContain('家庭收入中位数');
  }, 60_000);

  it.skipIf(!cjkFont)('with Chinese configured (chi_sim+eng) a Traditional page is still read as traditional', async () => {
    const configured = new TesseractOcr({ workers: 1, languages: ['chi_sim', 'eng'] });
    const result = await configured.recognize(prepared(await textImage(['這是一個繁體中文的測試頁面', '我們的報告包含繁體字'], { font: CJK_FONT, width: 1000 })));
    expect(result.text).toContain('這是一個繁體中文的測試頁面');
    expect(result.text).toContain('我們的報告包含繁體字');
    await configured.close();
  }, 60_000);

  it.skipIf(!cjkFont)('without the Chinese data installed, a Chinese page is read with the configured languages only', async () => {
    const withoutChinese = new TesseractOcr({ workers: 1, languages: ['eng', 'deu'], installed: (language) => ['eng', 'deu', 'osd'].includes(language) });
    await withoutChinese.recognize(prepared(await textImage(['繁體 測試'], { font: CJK_FONT, width: 600 })));
    expect(withoutChinese.loaded).toEqual(['deu+eng']);
    await withoutChinese.close();
  }, 60_000);
});
