import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captionCommand, captionRequest } from '../../../src/commands/caption.js';
import type { Core } from '../../../src/core/index.js';
import type { FakeGemini } from '../../fakes/gemini-fake.js';
import { startGeminiCores, type GeminiCores } from '../../helpers/gemini-cores.js';
import { answerSegmentation, segmentEntry } from '../../fakes/gemini-segments.js';
import { bufferFile, tempDir } from '../../helpers/core.js';
import { runConsole } from '../../helpers/console.js';

let gemini: FakeGemini;
let withKey: Core;
let offline: Core;

const WHITE = '#ffffff';
const blank = (width: number, height: number, background = WHITE) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

/** The RGB of one pixel of a PNG. */
async function pixel(png: Buffer | undefined, x: number, y: number): Promise<[number, number, number]> {
  const { data } = await sharp(png).extract({ left: x, top: y, width: 1, height: 1 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [data[0], data[1], data[2]];
}
const isWhite = ([r, g, b]: [number, number, number]) => r > 250 && g > 250 && b > 250;
/** Tinted by a mask's translucent fill (or its outline): no longer white, and the white still shows through a fill. */
const isTinted = ([r, g, b]: [number, number, number]) => !(r > 250 && g > 250 && b > 250) && Math.max(r, g, b) > 120;

let cores: GeminiCores;
beforeAll(async () => {
  cores = await startGeminiCores({}, { MAX_IMAGE_MEGAPIXELS: '20' });
  ({ gemini, withKey, offline } = cores);
});
afterAll(() => cores.close());
beforeEach(() => {
  gemini.chats.length = 0;
  gemini.scene = undefined;
  gemini.segment = (request) => answerSegmentation(request, gemini.scene);
});

describe('segment mode', () => {
  it('asks with Google’s segmentation prompt, thinking off, and sends the image as for detect (PNG, at most 1,536 px)', async () => {
    gemini.scene = [{ label: 'cat', box_2d: [100, 100, 900, 900] }];
    const result = await withKey.vision.look(bufferFile('big.png', await blank(3000, 1500)), 'segment', 'the cat');
    const body = gemini.chats[0].body;
    const prompt = body.contents[0].parts[0].text ?? '';
    expect(prompt).toContain('Give the segmentation masks for the cat.');
    expect(prompt).toContain('Output a JSON list of segmentation masks where each entry contains the 2D bounding box in the key "box_2d", the segmentation mask in key "mask", and the text label in the key "label".');
    expect(body.generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 0 });
    expect(body.generationConfig?.maxOutputTokens).toBeGreaterThanOrEqual(16_384);
    const inline = body.contents[0].parts.find((p) => p.inlineData)?.inlineData;
    expect(inline?.mimeType).toBe('image/png');
    expect(result.image).toMatchObject({ width: 1536, height: 768, estimatedTokens: 2 * 1 * 258 });
    expect(result.text).toBe('1. cat');
    expect(result.boxes).toEqual([{ label: 'cat', left: 154, top: 77, width: 1228, height: 614 }]);
  });

  it('draws each mask scaled into its box: the object tinted and outlined, the rest of the box and the image untouched', async () => {
    // A mask of another size than its box (Gemini's often are): its left half is the object.
    const half = await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="black"/><rect width="10" height="10" fill="white"/></svg>'))
      .greyscale()
      .png()
      .toBuffer();
    gemini.segment = () => JSON.stringify([{ box_2d: [200, 250, 800, 750], mask: `data:image/png;base64,${half.toString('base64')}`, label: 'cat' }]);
    const result = await withKey.vision.look(bufferFile('room.png', await blank(400, 300)), 'segment', 'cat');
    // The box is x 100–300, y 60–240 on the 400 × 300 image; the mask's left half is x 100–200.
    expect(result.boxes).toEqual([{ label: 'cat', left: 100, top: 60, width: 200, height: 180 }]);
    const png = result.annotated;
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 400, 300]);
    expect(isTinted(await pixel(png, 150, 150))).toBe(true); // inside the mask
    expect(isTinted(await pixel(png, 190, 200))).toBe(true);
    expect(isWhite(await pixel(png, 250, 150))).toBe(true); // in the box, outside the mask
    expect(isWhite(await pixel(png, 290, 230))).toBe(true);
    expect(isWhite(await pixel(png, 50, 150))).toBe(true); // outside the box
    expect(isWhite(await pixel(png, 350, 280))).toBe(true);
    // The fill lets the image show through; the outline at the mask's border is opaque.
    const fill = await pixel(png, 150, 150);
    const border = await pixel(png, 100, 150);
    expect(fill[1]).toBeGreaterThan(border[1]);
    expect(isTinted(border)).toBe(true);
  });

  it('places an elliptic mask from the fake where its box is, at the box’s scale', async () => {
    gemini.scene = [{ label: 'ball', box_2d: [0, 500, 500, 1000], shape: 'ellipse' }];
    const result = await withKey.vision.look(bufferFile('pitch.png', await blank(600, 400)), 'segment', 'balls');
    expect(result.boxes).toEqual([{ label: 'ball', left: 300, top: 0, width: 300, height: 200 }]);
    expect(isTinted(await pixel(result.annotated, 450, 100))).toBe(true); // the ellipse's centre
    expect(isWhite(await pixel(result.annotated, 590, 190))).toBe(true); // the box's corner, outside the ellipse
    expect(isWhite(await pixel(result.annotated, 150, 300))).toBe(true);
  });

  it('drops masks that are malformed, outside the image, empty or of things not asked for, each with a note', async () => {
    const image = { width: 200, height: 200 };
    const good = await segmentEntry({ label: 'black cat', box_2d: [100, 100, 500, 500] }, image);
    const empty = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).greyscale().png().toBuffer();
    gemini.segment = async () =>
      JSON.stringify([
        good,
        { ...good, label: 'dog' },
        { ...good, mask: 'data:image/png;base64,bm90IGEgcG5n' },
        { ...good, box_2d: [100, 100, 500] },
        { ...good, box_2d: [100, 900, 600, 1400] },
        { ...good, box_2d: [500, 100, 100, 500] },
        { ...good, mask: `data:image/png;base64,${empty.toString('base64')}` },
        { box_2d: [0, 0, 10, 10], label: 'cat' },
      ]);
    const result = await withKey.vision.look(bufferFile('cats.png', await blank(200, 200)), 'segment', 'cats');
    expect(result.boxes.map((b) => b.label)).toEqual(['black cat']);
    expect(result.notes).toEqual([
      'the mask labelled “dog” was dropped: it is not among the things asked for (cats).',
      'the mask labelled “black cat” was dropped: its mask is not a PNG image.',
      'mask 4 was dropped: it is not a box, a mask and a label.',
      'the mask labelled “black cat” was dropped: its box [100, 900, 600, 1400] is outside the image (0–1000).',
      'the mask labelled “black cat” was dropped: its box [500, 100, 100, 500] has no area.',
      'the mask labelled “black cat” was dropped: its mask is empty.',
      'mask 8 was dropped: it is not a box, a mask and a label.',
    ]);
    expect(result.text.split('\n')[0]).toBe('1. black cat');
    expect(result.text).toContain('Note: the mask labelled “dog” was dropped');
    expect(result.annotated).toBeDefined();
  });

  it('says so when no masks are found, and attaches no image', async () => {
    gemini.scene = [{ label: 'dog', box_2d: [0, 0, 500, 500] }];
    const result = await withKey.vision.look(bufferFile('yard.png', await blank(100, 100)), 'segment', 'cats');
    expect(result.text).toBe('Found no masks of cats in the image.');
    expect(result.annotated).toBeUndefined();
    gemini.segment = () => 'The only thing here is a dog.';
    gemini.scene = undefined;
    await expect(withKey.vision.look(bufferFile('yard.png', await blank(100, 100)), 'segment', 'cats')).rejects.toMatchObject({ code: 'invalid_segmentation' });
    expect(gemini.chats).toHaveLength(3); // one answer, then a reply that is not a list asked again once
  });

  it('needs the things to segment, and a Gemini key (named) or model providers on in the channel', async () => {
    const png = await blank(50, 50);
    await expect(withKey.vision.look(bufferFile('a.png', png), 'segment', ' ')).rejects.toMatchObject({ code: 'bad_option', userMessage: expect.stringContaining('Segment mode needs the things to find') });
    await expect(offline.vision.look(bufferFile('a.png', png), 'segment', 'cats')).rejects.toMatchObject({ code: 'not_configured', userMessage: expect.stringContaining('GEMINI_API_KEY') });
    await expect(withKey.vision.look(bufferFile('a.png', png), 'segment', 'cats', undefined, { offline: true })).rejects.toMatchObject({ code: 'ai_off' });
    expect(gemini.chats).toEqual([]);
  });
});

describe('segment from words and actions', () => {
  it('“segment <things>” (or “outline <things>”) with an image picks segment mode', () => {
    expect(captionRequest('segment the cats')).toEqual({ mode: 'segment', question: 'the cats' });
    expect(captionRequest('Outline: bicycles')).toEqual({ mode: 'segment', question: 'bicycles' });
    expect(captionRequest('segment')).toEqual({ mode: 'ask', question: 'segment' });
  });

  it('the Describe image action follows a mode its message names, and describes otherwise', () => {
    const describe = captionCommand.messageActions?.find((a) => a.label === 'Describe image');
    expect({ ...describe?.options, ...describe?.fromText?.('segment the cat') }).toEqual({ mode: 'segment', question: 'the cat' });
    expect({ ...describe?.options, ...describe?.fromText?.('look at my holiday photo') }).toEqual({ mode: 'describe' });
  });
});

describe('console /caption … segment', () => {
  it('saves the segmented image beside the detect output, lists it in files and names the label in the reply', async () => {
    const cwd = tempDir('docent-segment-');
    fs.writeFileSync(path.join(cwd, 'pet.png'), await blank(300, 200, '#69f'));
    const { out } = await runConsole(withKey, cwd, ['/caption pet.png segment cat', '/caption pet.png segment'], { json: true });
    const [segmented, missing] = out.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; mode?: string; text?: string; files?: string[]; boxes?: { label: string }[]; details?: { local?: string[] }; error?: { code: string } });
    const saved = path.join(cwd, 'pet-segmented.png');
    expect(segmented).toMatchObject({ ok: true, mode: 'segment', files: [saved], boxes: [{ label: 'cat' }] });
    expect(segmented.text).toContain('cat');
    expect(segmented.details?.local).toContain('drawing the masks');
    const meta = await sharp(fs.readFileSync(saved)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 300, 200]);
    expect(missing).toMatchObject({ ok: false, error: { code: 'bad_option' } });
  });
});
