import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/index.js';
import { SharpImages } from '../../../src/core/providers/media/sharp-images.js';
import { createVisionService, toPixels } from '../../../src/core/vision/vision.js';
import type { FakeGemini } from '../../fakes/gemini-fake.js';
import { startGeminiCores, type GeminiCores } from '../../helpers/gemini-cores.js';
import { bufferFile, memoryLogger, startCore, tempDir, testConfig } from '../../helpers/core.js';
import { CJK_FONT, hasCjkFont } from '../../helpers/fonts.js';

let gemini: FakeGemini;
let withKey: Core;
let offline: Core;

const textImage = (lines: string[], width = 900, height = 220, font = 'DejaVu Sans') =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${lines
    .map((l, i) => `<text x="30" y="${80 + i * 80}" font-family="${font}" font-size="48" fill="black">${l}</text>`)
    .join('')}</svg>`))
    .png()
    .toBuffer();

let cores: GeminiCores;
beforeAll(async () => {
  cores = await startGeminiCores({ MAX_IMAGE_MB: '1' }, { MAX_IMAGE_MEGAPIXELS: '20' });
  ({ gemini, withKey, offline } = cores);
});
afterAll(() => cores.close());
beforeEach(() => {
  gemini.chats.length = 0;
  gemini.script = ({ user }) => (user.includes('caption') ? 'A red square on white.\nExtra line' : 'It is red.');
});

describe('image preparation', () => {
  it('applies EXIF orientation, strips metadata and downsizes per mode', async () => {
    const photo = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#c00' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const result = await withKey.vision.look(bufferFile('photo.jpg', photo), 'caption');
    expect(result.image).toMatchObject({ width: 384, height: 768 });
    const sent = gemini.chats[0].body.contents[0].parts as { inlineData?: { mimeType: string; data: string } }[];
    const inline = sent.find((p) => p.inlineData)?.inlineData;
    expect(inline?.mimeType).toBe('image/jpeg');
    const metadata = await sharp(Buffer.from(inline?.data ?? '', 'base64')).metadata();
    expect([metadata.width, metadata.height, metadata.exif, metadata.orientation]).toEqual([384, 768, undefined, undefined]);
    expect(result.text).toBe('A red square on white.');
  });

  it('keeps more detail for reading text, and converts GIF', async () => {
    const wide = await sharp({ create: { width: 4000, height: 1000, channels: 3, background: '#fff' } }).gif().toBuffer();
    const result = await withKey.vision.look(bufferFile('scan.gif', wide), 'ocr');
    expect(result.image).toMatchObject({ width: 3072, height: 768 });
    expect((gemini.chats[0].body.contents[0].parts as { inlineData?: { mimeType: string } }[]).find((p) => p.inlineData)?.inlineData?.mimeType).toBe('image/png');
  });

  it('converts TIFF and HEIF (AVIF) to a format Gemini takes, at the mode’s size', async () => {
    const tiff = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#036' } }).tiff().toBuffer();
    const avif = await sharp({ create: { width: 800, height: 1200, channels: 3, background: '#630' } }).avif().toBuffer();
    for (const [name, data, size] of [['scan.tiff', tiff, { width: 768, height: 512 }], ['phone.avif', avif, { width: 512, height: 768 }]] as const) {
      gemini.chats.length = 0;
      const result = await withKey.vision.look(bufferFile(name, data), 'caption');
      expect(result.image).toMatchObject(size);
      const inline = (gemini.chats[0].body.contents[0].parts as { inlineData?: { mimeType: string; data: string } }[]).find((p) => p.inlineData)?.inlineData;
      expect(['image/jpeg', 'image/png']).toContain(inline?.mimeType);
      const sent = await sharp(Buffer.from(inline?.data ?? '', 'base64')).metadata();
      expect([sent.format === 'jpeg' || sent.format === 'png', sent.width, sent.height]).toEqual([true, size.width, size.height]);
    }
  });

  it('refuses what is not an image, an empty file, a truncated image, a decompression bomb and an oversize file, each with its reason', async () => {
    const png = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#0a0' } }).png().toBuffer();
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(100_000, 16); // IHDR width
    bomb.writeUInt32BE(100_000, 20); // IHDR height
    const cases: [string, Buffer, string, RegExp][] = [
      ['doc.pdf', Buffer.from('%PDF-1.7 not an image'), 'not_image', /not an image/],
      ['empty.png', Buffer.alloc(0), 'image_empty', /empty/],
      ['cut.png', png.subarray(0, Math.floor(png.length / 3)), 'image_corrupt', /^“cut\.png” is damaged or cut off and could not be read( \((the file ends early|its data is corrupt)\))?\.$/],
      ['bomb.png', bomb, 'image_too_large', /more pixels than Docent accepts \(20 megapixels\)/],
    ];
    for (const [name, data, code, message] of cases) {
      await expect(withKey.vision.look(bufferFile(name, data), 'caption')).rejects.toMatchObject({ code, userMessage: expect.stringMatching(message) });
    }
    const announced = { ...bufferFile('huge.png', png), size: 5 * 1024 * 1024, read: () => Promise.reject(new Error('must not download')) };
    await expect(withKey.vision.look(announced, 'caption')).rejects.toMatchObject({ code: 'image_too_large', userMessage: expect.stringContaining('MAX_IMAGE_MB') });
    expect(gemini.chats).toEqual([]);
  });
});

describe('vision modes with Gemini', () => {
  it('answers a question about the image', async () => {
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#c00' } }).png().toBuffer();
    const result = await withKey.vision.look(bufferFile('sq.png', png), 'ask', 'What colour is it?');
    expect(result.text).toBe('It is red.');
    expect(gemini.chats[0].body.contents[0].parts[0].text).toContain('What colour is it?');
    expect(result.image.estimatedTokens).toBe(258);
  });

  it('detect: asks for structured boxes, scales 0–1000 to pixels and draws them', async () => {
    gemini.script = () => JSON.stringify([{ label: 'bicycle', box_2d: [100, 200, 500, 600] }, { label: 'cat', box_2d: [0, 0, 1000, 1200] }]);
    const png = await sharp({ create: { width: 1000, height: 500, channels: 3, background: '#fff' } }).png().toBuffer();
    const result = await withKey.vision.look(bufferFile('street.png', png), 'detect', 'bicycles, cats');
    expect(gemini.chats[0].body.generationConfig).toMatchObject({ responseMimeType: 'application/json' });
    expect(result.boxes).toEqual([
      { label: 'bicycle', left: 200, top: 50, width: 400, height: 200 },
      { label: 'cat', left: 0, top: 0, width: 1000, height: 500 },
    ]);
    expect(result.text).toBe('1. bicycle\n2. cat');
    const annotated = await sharp(result.annotated).metadata();
    expect([annotated.width, annotated.height, annotated.format]).toEqual([1000, 500, 'png']);
    const { data } = await sharp(result.annotated).extract({ left: 200, top: 150, width: 3, height: 3 }).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(150); // the box's left edge is drawn in colour, not white
    expect(data[1]).toBeLessThan(150);
  });

  it('detect retries a reply that is not valid JSON once, then reports it clearly', async () => {
    let calls = 0;
    gemini.script = () => (++calls === 1 ? 'Here are the boxes: bicycle at the left' : JSON.stringify([{ label: 'bicycle', box_2d: [0, 0, 500, 500] }]));
    const png = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#fff' } }).png().toBuffer();
    expect((await withKey.vision.look(bufferFile('a.png', png), 'detect', 'bicycles')).boxes).toHaveLength(1);
    gemini.script = () => 'not json';
    await expect(withKey.vision.look(bufferFile('a.png', png), 'detect', 'bicycles')).rejects.toMatchObject({ code: 'invalid_detection' });
  });

  it('needs a question for ask and things for detect', async () => {
    const png = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } }).png().toBuffer();
    await expect(withKey.vision.look(bufferFile('a.png', png), 'ask')).rejects.toMatchObject({ code: 'bad_option' });
    await expect(withKey.vision.look(bufferFile('a.png', png), 'detect', ' ')).rejects.toMatchObject({ code: 'bad_option' });
  });

  it('toPixels clamps and orders coordinates', () => {
    expect(toPixels('x', [900, 800, 100, -5], { width: 100, height: 200 })).toEqual({ label: 'x', left: 0, top: 20, width: 80, height: 160 });
  });
});

describe('vision without a Gemini key', () => {
  it('reads text offline with tesseract', async () => {
    const image = await textImage(['Invoice 12345', 'Total 99.50 EUR']);
    const result = await offline.vision.look(bufferFile('invoice.png', image), 'ocr');
    expect(result.engine).toBe('tesseract (offline)');
    expect(result.text).toMatch(/Invoice 12345/);
    expect(result.text).toMatch(/99\.50/);
  }, 60_000);

  it('reads a page scanned upside down (tried turned when the first reading is not confident)', async () => {
    const upright = await textImage(['Delivery note 4471', 'Twelve crates of apples'], 1000, 260);
    const upsideDown = await sharp(upright).rotate(180).png().toBuffer();
    const result = await offline.vision.look(bufferFile('turned.png', upsideDown), 'ocr');
    expect(result.text).toMatch(/Delivery note 4471/);
    expect(result.text).toMatch(/crates of apples/);
  }, 60_000);

  it('reads German with OCR_LANGUAGES=deu+eng from the installed language package', async () => {
    const german = await startCore(testConfig({ OCR_LANGUAGES: 'deu+eng' }));
    await german.start();
    const image = await textImage(['Die Größe der Straße', 'Übergänge für Fußgänger'], 1100, 260);
    const result = await german.vision.look(bufferFile('strasse.png', image), 'ocr');
    expect(result.text).toContain('Größe der Straße');
    expect(result.text).toMatch(/Übergänge für Fußgänger/);
    await german.close();
  }, 60_000);

  const cjkFont = hasCjkFont();
  it.skipIf(!cjkFont)('reads Simplified Chinese with OCR_LANGUAGES=chi_sim+eng', async () => {
    const chinese = await startCore(testConfig({ OCR_LANGUAGES: 'chi_sim+eng' }));
    await chinese.start();
    const image = await textImage(['人口普查报告', '家庭收入中位数'], 900, 260, CJK_FONT);
    const result = await chinese.vision.look(bufferFile('census-zh.png', image), 'ocr');
    // Written without spaces, as Chinese is (tesseract's spaces between characters are taken out).
    expect(result.text).toContain('人口普查报告');
    expect(result.text).toContain('家庭收入中位数');
    await chinese.close();
  }, 60_000);

  it('says "No text found" for a photo whose OCR is low-confidence noise, as scanned pages are filtered', async () => {
    const noisy = { recognize: async () => ({ text: "~ ,' ;;: i1l |", confidence: 23 }), close: async () => undefined };
    const vision = createVisionService({ images: new SharpImages({ maxPixels: 50_000_000 }), model: undefined, ocr: noisy, maxBytes: 20 * 1024 * 1024, logger: memoryLogger() });
    const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#4a7' } }).png().toBuffer();
    const result = await vision.look(bufferFile('park.png', photo), 'ocr');
    expect(result.text).toBe('No text found in the image.');
    const confident = createVisionService({ images: new SharpImages({ maxPixels: 50_000_000 }), model: undefined, ocr: { ...noisy, recognize: async () => ({ text: 'EXIT', confidence: 91 }) }, maxBytes: 20 * 1024 * 1024, logger: memoryLogger() });
    expect((await confident.look(bufferFile('sign.png', photo), 'ocr')).text).toBe('EXIT');
  });

  it('names GEMINI_API_KEY for the other modes', async () => {
    const png = await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } }).png().toBuffer();
    await expect(offline.vision.look(bufferFile('a.png', png), 'caption')).rejects.toMatchObject({ code: 'not_configured', userMessage: expect.stringContaining('GEMINI_API_KEY') });
  });
});

describe('console /caption', () => {
  it('saves the annotated image of detect mode next to the session and reports it', async () => {
    gemini.script = () => JSON.stringify([{ label: 'sun', box_2d: [100, 100, 400, 400] }]);
    const cwd = tempDir('docent-caption-');
    fs.writeFileSync(path.join(cwd, 'sky.png'), await sharp({ create: { width: 300, height: 300, channels: 3, background: '#69f' } }).png().toBuffer());
    const { ConsoleBot } = await import('../../../src/bots/console/console-bot.js');
    const { PassThrough } = await import('node:stream');
    const { memoryLogger } = await import('../../helpers/core.js');
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (c: Buffer) => (out += c.toString()));
    const bot = new ConsoleBot({ core: withKey, logger: memoryLogger(), input, output, errorOutput: new PassThrough(), json: true, interactive: false, channel: 'general', cwd });
    const running = bot.run();
    input.end('/caption sky.png detect the sun\n/caption sky.png paint\n');
    await running;
    const [detected, bad] = out.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; files?: string[]; boxes?: unknown[]; error?: { message: string } });
    expect(detected).toMatchObject({ ok: true, boxes: [{ label: 'sun' }], files: [path.join(cwd, 'sky-annotated.png')] });
    expect(fs.existsSync(path.join(cwd, 'sky-annotated.png'))).toBe(true);
    expect(bad.error?.message).toContain('“paint” is not a mode');
  });
});

describe('vision and the provider queue', () => {
  it('images wait in the same per-provider queue as answers (PROVIDER_CONCURRENCY)', async () => {
    const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, PROVIDER_CONCURRENCY: '1' }));
    await core.start();
    gemini.latencyMs = 80;
    gemini.maxConcurrent = 0;
    const square = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#f00' } }).png().toBuffer();
    await Promise.all([1, 2, 3].map((i) => core.vision.look(bufferFile(`s${i}.png`, square), 'caption')));
    expect(gemini.maxConcurrent).toBe(1);
    gemini.latencyMs = 0;
    await core.close();
  });
});
