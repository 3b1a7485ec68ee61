import sharp, { type Metadata } from 'sharp';
import { BadInputError, UnreadableDocumentError } from '../../ports/errors.js';
import type { ImageProcessor, LabelledBox, LabelledMask, PreparedImage, VisionMode } from '../../ports/ports.js';

/** Longest side sent to the model per mode: small for captions and questions, large for reading text. */
const MAX_SIDE: Record<VisionMode, number> = { caption: 768, ask: 1024, describe: 1536, detect: 1536, segment: 1536, ocr: 3072 };
/** Mask probabilities (0–255) above this are the object: the middle, as Google's examples cut them. */
const MASK_CUT = 127;
/** How opaque a mask's fill is (0–255): the image stays visible under it. */
const FILL_ALPHA = 110;
const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6'];
const FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

export interface SharpImagesOptions {
  /** Refuse images with more pixels than this before decoding them (decompression bombs). */
  readonly maxPixels: number;
}

/** Gemini 2.x: ≤ 384 px on both sides costs 258 tokens; larger images are tiled in 768-px tiles of 258. */
export function estimateImageTokens(width: number, height: number): number {
  if (width <= 384 && height <= 384) return 258;
  return Math.ceil(width / 768) * Math.ceil(height / 768) * 258;
}

/**
 * Image preparation with sharp: EXIF orientation applied, GIF (first frame), WebP, TIFF, HEIF and
 * AVIF converted, metadata such as GPS stripped (sharp writes none unless asked), downsized per
 * mode, and images that are not images, are cut off, or claim too many pixels refused fast.
 */
export class SharpImages implements ImageProcessor {
  constructor(private readonly options: SharpImagesOptions) {}

  async prepare(data: Buffer, mode: VisionMode, name: string): Promise<PreparedImage> {
    if (data.length === 0) throw new BadInputError('image_empty', `“${name}” is empty (0 bytes).`);
    let metadata: Metadata;
    try {
      metadata = await sharp(data, { limitInputPixels: this.options.maxPixels }).metadata();
    } catch (error) {
      throw this.refusal(name, error);
    }
    if (!metadata.format || !FORMATS.has(metadata.format)) {
      throw new BadInputError('image_format', `“${name}” is a ${metadata.format ?? 'file'} image, which Docent cannot read; use PNG, JPEG, WebP, GIF, TIFF or HEIF.`);
    }
    const oriented = (metadata.orientation ?? 1) >= 5;
    const originalWidth = (oriented ? metadata.height : metadata.width) ?? 0;
    const originalHeight = (oriented ? metadata.width : metadata.height) ?? 0;
    const side = MAX_SIDE[mode];
    const keepsDetail = mode === 'ocr' || mode === 'detect' || mode === 'segment';
    try {
      const pipeline = sharp(data, { limitInputPixels: this.options.maxPixels, pages: 1, failOn: 'error' })
        .rotate()
        .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
      const output = keepsDetail ? pipeline.png() : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 85 });
      const { data: out, info } = await output.toBuffer({ resolveWithObject: true });
      return {
        data: out,
        mimeType: keepsDetail ? 'image/png' : 'image/jpeg',
        width: info.width,
        height: info.height,
        originalWidth,
        originalHeight,
        estimatedTokens: estimateImageTokens(info.width, info.height),
      };
    } catch (error) {
      throw this.refusal(name, error);
    }
  }

  async annotate(image: PreparedImage, boxes: readonly LabelledBox[]): Promise<Buffer> {
    const stroke = strokeWidth(image);
    const shapes = boxes
      .map((box, i) => {
        const color = COLORS[i % COLORS.length];
        return `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="${color}" stroke-width="${stroke}"/>${labelTag(image, box, color)}`;
      })
      .join('');
    return sharp(image.data).composite([{ input: svgOf(image, shapes), top: 0, left: 0 }]).png().toBuffer();
  }

  async readMask(png: Buffer, width: number, height: number): Promise<Buffer | undefined> {
    try {
      const metadata = await sharp(png, { limitInputPixels: this.options.maxPixels }).metadata();
      if (metadata.format !== 'png') return undefined;
      // A grey PNG has its probabilities in its one channel; a coloured one, in its first (they are grey anyway).
      const raw = await sharp(png, { limitInputPixels: this.options.maxPixels, failOn: 'error' })
        .extractChannel(0)
        .resize(width, height, { fit: 'fill' })
        .raw()
        .toBuffer();
      return Buffer.from(raw.map((p) => (p > MASK_CUT ? 255 : 0)));
    } catch {
      return undefined;
    }
  }

  async annotateMasks(image: PreparedImage, masks: readonly LabelledMask[]): Promise<Buffer> {
    const stroke = strokeWidth(image);
    const layers = masks.map((mask, i) => {
      const [r, g, b] = rgb(COLORS[i % COLORS.length]);
      const edge = outline(mask, stroke);
      const rgba = Buffer.alloc(mask.width * mask.height * 4);
      for (let p = 0; p < mask.pixels.length; p++) {
        if (mask.pixels[p] === 0) continue;
        rgba.set([r, g, b, edge[p] ? 255 : FILL_ALPHA], p * 4);
      }
      return { input: rgba, raw: { width: mask.width, height: mask.height, channels: 4 as const }, left: mask.left, top: mask.top };
    });
    const labels = masks.map((mask, i) => labelTag(image, mask, COLORS[i % COLORS.length])).join('');
    return sharp(image.data)
      .composite([...layers, { input: svgOf(image, labels), top: 0, left: 0 }])
      .png()
      .toBuffer();
  }

  private refusal(name: string, error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message)) {
      return new UnreadableDocumentError('image_too_large', `“${name}” has more pixels than Docent accepts (${Math.round(this.options.maxPixels / 1e6)} megapixels).`, { detail: message });
    }
    if (/unsupported image format|Input buffer contains unsupported/i.test(message)) {
      return new BadInputError('not_image', `“${name}” is not an image Docent can read.`);
    }
    // The library's own words ("vips2png: unable to write to target target") stay in the logs.
    const cause = /premature end|truncated|unexpected end|cut off|EOF/i.test(message) ? ' (the file ends early)' : /corrupt|bad|invalid|crc|huffman/i.test(message) ? ' (its data is corrupt)' : '';
    return new UnreadableDocumentError('image_corrupt', `“${name}” is damaged or cut off and could not be read${cause}.`, { detail: message });
  }
}

function strokeWidth(image: PreparedImage): number {
  return Math.max(2, Math.round(Math.min(image.width, image.height) / 200));
}

function svgOf(image: PreparedImage, shapes: string): Buffer {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">${shapes}</svg>`);
}

/** A box's label on a band of its colour, above the box when there is room, else inside it. */
function labelTag(image: PreparedImage, box: LabelledBox, color: string): string {
  const font = Math.max(12, Math.round(Math.min(image.width, image.height) / 40));
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const labelY = box.top > font + 6 ? box.top - 4 : box.top + font + 2;
  const labelWidth = Math.round(box.label.length * font * 0.62) + 8;
  return (
    `<rect x="${box.left}" y="${labelY - font}" width="${labelWidth}" height="${font + 4}" fill="${color}"/>` +
    `<text x="${box.left + 4}" y="${labelY}" font-family="DejaVu Sans, sans-serif" font-size="${font}" fill="#ffffff">${escape(box.label)}</text>`
  );
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * The mask's border, `width` pixels thick: its pixels within `width` of a pixel that is not the
 * object (or of the box's edge). Computed as the mask minus its erosion by a square, row then column.
 */
function outline(mask: LabelledMask, width: number): Uint8Array {
  const { width: w, height: h, pixels } = mask;
  const across = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let inside = 1;
      for (let d = -width; d <= width && inside; d++) {
        const xx = x + d;
        if (xx < 0 || xx >= w || pixels[y * w + xx] === 0) inside = 0;
      }
      across[y * w + x] = inside;
    }
  }
  const edge = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (pixels[y * w + x] === 0) continue;
      let inside = 1;
      for (let d = -width; d <= width && inside; d++) {
        const yy = y + d;
        if (yy < 0 || yy >= h || across[yy * w + x] === 0) inside = 0;
      }
      edge[y * w + x] = inside ? 0 : 1;
    }
  }
  return edge;
}
