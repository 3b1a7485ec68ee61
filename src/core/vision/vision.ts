import { z } from 'zod';
import { BadInputError, NotConfiguredError, ProviderError } from '../ports/errors.js';
import { tokenize } from '../lib/tokenizer.js';
import type { ImageProcessor, LabelledBox, LabelledMask, Logger, OcrEngine, PreparedImage, VisionMode, VisionModel } from '../ports/ports.js';
import type { FileSource } from '../ports/types.js';

export const VISION_MODES: readonly VisionMode[] = ['caption', 'describe', 'ocr', 'ask', 'detect', 'segment'];

export interface VisionResult {
  readonly mode: VisionMode;
  readonly file: string;
  readonly text: string;
  /** The objects found (detect), or the boxes of the objects segmented (segment). */
  readonly boxes: readonly LabelledBox[];
  /** The image with the detected objects boxed and labelled (detect), or their masks drawn (segment), as PNG. */
  readonly annotated: Buffer | undefined;
  /** What was left out of the model's answer, and why (segment: masks that were malformed, outside the image or not asked for). */
  readonly notes: readonly string[];
  readonly engine: string;
  readonly image: { readonly width: number; readonly height: number; readonly estimatedTokens: number };
}

/** `offline`: the channel keeps model providers out (setting ai off): only offline OCR. */
export interface LookOptions {
  readonly offline?: boolean;
}

export interface VisionService {
  look(file: FileSource, mode: VisionMode, question?: string, signal?: AbortSignal, options?: LookOptions): Promise<VisionResult>;
  /** The text of a rendered page or picture: Gemini when configured, tesseract offline otherwise (or when `offline`). */
  readText(image: Buffer, name: string, signal?: AbortSignal, options?: LookOptions): Promise<string>;
  /** Which engine reads scanned pages. */
  readonly ocrEngine: string;
}

export interface VisionDeps {
  readonly images: ImageProcessor;
  readonly model: VisionModel | undefined;
  readonly ocr: OcrEngine;
  readonly maxBytes: number;
  readonly logger: Logger;
}

const NO_TEXT = 'NO_TEXT';
/** Mean tesseract confidence (0–100) below which a page's OCR text is treated as noise. */
const MIN_OCR_CONFIDENCE = 60;

const PROMPTS: Record<Exclude<VisionMode, 'ask' | 'detect' | 'segment'>, string> = {
  caption: 'Write one short caption for this image: a single line, no quotes.',
  describe:
    'Describe this image for someone who cannot see it, as good alt text would: what it shows, the important details, any text in it, and the overall setting. Plain sentences, no preamble.',
  ocr: `Transcribe all the text in this image exactly as written, keeping the line breaks. Reply with the text only. If there is no text, reply ${NO_TEXT}.`,
};

const DETECTION_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      label: { type: 'string' },
      box_2d: { type: 'array', items: { type: 'integer' }, minItems: 4, maxItems: 4 },
    },
    required: ['label', 'box_2d'],
  },
} as const;

const detections = z.array(z.object({ label: z.string().min(1), box_2d: z.array(z.number()).length(4) }));

/**
 * Images: caption, describe (alt text), ocr (verbatim text), ask (a question about the image)
 * and detect (labelled boxes drawn on the image). The image is prepared locally first; without a
 * Gemini key, ocr still works offline with tesseract and the other modes name the variable.
 */
export function createVisionService(deps: VisionDeps): VisionService {
  return {
    ocrEngine: deps.model ? deps.model.model : 'tesseract (offline)',
    async readText(data, name, signal, options) {
      const image = await deps.images.prepare(data, 'ocr', name);
      const model = options?.offline ? undefined : deps.model;
      if (!model) {
        // Tesseract "reads" noise in photos with low confidence; that is not text worth indexing.
        const { text, confidence } = await deps.ocr.recognize(image, signal);
        return confidence >= MIN_OCR_CONFIDENCE ? text : '';
      }
      const text = (await model.look(image, PROMPTS.ocr, { signal })).trim();
      return text === NO_TEXT ? '' : text;
    },
    async look(file, mode, question, signal, options) {
      if (!VISION_MODES.includes(mode)) {
        throw new BadInputError('bad_option', `“${mode}” is not a mode. Use one of: ${VISION_MODES.join(', ')}.`);
      }
      if ((mode === 'ask' || mode === 'detect' || mode === 'segment') && !question?.trim()) {
        throw new BadInputError('bad_option', mode === 'ask' ? 'Ask mode needs a question about the image.' : `${mode === 'detect' ? 'Detect' : 'Segment'} mode needs the things to find, e.g. "cats, bicycles".`);
      }
      const limit = `${Math.round(deps.maxBytes / (1024 * 1024))} MB (MAX_IMAGE_MB)`;
      if (file.size !== undefined && file.size > deps.maxBytes) throw new BadInputError('image_too_large', `“${file.name}” is larger than ${limit}.`);
      const data = await file.read(deps.maxBytes);
      if (data.length > deps.maxBytes) throw new BadInputError('image_too_large', `“${file.name}” is larger than ${limit}.`);
      const image = await deps.images.prepare(data, mode, file.name);
      deps.logger.info({ mode, file: file.name, width: image.width, height: image.height, estimatedTokens: image.estimatedTokens }, 'image prepared');
      const base = { mode, file: file.name, image: { width: image.width, height: image.height, estimatedTokens: image.estimatedTokens } };

      const model = options?.offline ? undefined : deps.model;
      if (!model) {
        if (mode !== 'ocr' && options?.offline) {
          throw new BadInputError('ai_off', 'Model providers are off in this channel (/settings ai), and describing images needs one. Reading text (ocr mode) works here, offline.');
        }
        if (mode !== 'ocr') {
          throw new NotConfiguredError('GEMINI_API_KEY', `Describing images needs a Gemini key: set GEMINI_API_KEY. Reading text (ocr mode) works without it.`);
        }
        // Tesseract "reads" shapes in a photo as letters with low confidence: the same filter as for scanned pages.
        const { text, confidence } = await deps.ocr.recognize(image, signal);
        const found = text.length > 0 && confidence >= MIN_OCR_CONFIDENCE;
        return { ...base, text: found ? text : 'No text found in the image.', boxes: [], annotated: undefined, notes: [], engine: 'tesseract (offline)' };
      }

      if (mode === 'detect') {
        const boxes = await detect(model, image, question ?? '', signal);
        const text = boxes.length === 0 ? `Found no ${question} in the image.` : boxes.map((b, i) => `${i + 1}. ${b.label}`).join('\n');
        return { ...base, text, boxes, annotated: boxes.length > 0 ? await deps.images.annotate(image, boxes) : undefined, notes: [], engine: model.model };
      }
      if (mode === 'segment') {
        const things = question ?? '';
        const { masks, notes } = await segment(model, deps.images, image, things, signal);
        const found = masks.length === 0 ? `Found no masks of ${things} in the image.` : masks.map((m, i) => `${i + 1}. ${m.label}`).join('\n');
        const text = [found, ...notes.map((n) => `Note: ${n}`)].join('\n');
        const boxes = masks.map(({ label, left, top, width, height }) => ({ label, left, top, width, height }));
        if (notes.length > 0) deps.logger.info({ file: file.name, kept: masks.length, dropped: notes.length }, 'segmentation masks dropped');
        return { ...base, text, boxes, annotated: masks.length > 0 ? await deps.images.annotateMasks(image, masks) : undefined, notes, engine: model.model };
      }
      const prompt = mode === 'ask' ? `Answer this question about the image: ${question}\nIf the image does not show the answer, say so plainly.` : PROMPTS[mode];
      const raw = (await model.look(image, prompt, { signal })).trim();
      const text = mode === 'ocr' && raw === NO_TEXT ? 'No text found in the image.' : mode === 'caption' ? raw.split('\n')[0].replace(/^["“]|["”]$/g, '') : raw;
      return { ...base, text, boxes: [], annotated: undefined, notes: [], engine: model.model };
    },
  };
}

async function detect(model: VisionModel, image: PreparedImage, things: string, signal: AbortSignal | undefined): Promise<LabelledBox[]> {
  const prompt = `Find every instance of: ${things}. Reply with a JSON list of {"label", "box_2d"} where box_2d is [ymin, xmin, ymax, xmax] normalised to 0-1000. Reply [] if there are none.`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const raw = await model.look(image, prompt, { responseSchema: DETECTION_SCHEMA, signal });
    const parsed = detections.safeParse(parseJson(raw));
    if (parsed.success) return parsed.data.map((d) => toPixels(d.label, d.box_2d, image)).filter((b) => b.width > 0 && b.height > 0);
  }
  throw new ProviderError('Gemini', 'The vision model did not return the boxes in the expected format (twice). Try again, or rephrase what to find.', {
    retryable: true,
    code: 'invalid_detection',
  });
}

/** Masks are long (a PNG each): the reply may need far more tokens than a caption. */
const SEGMENT_MAX_OUTPUT_TOKENS = 16_384;

const maskEntry = z.object({ box_2d: z.array(z.number().finite()).length(4), mask: z.string().min(1), label: z.string().trim().min(1) });

/**
 * Segmentation as Google documents it for Gemini 2.5 and later: the prompt asks for a JSON list of
 * {box_2d, mask, label}, box_2d being [y0, x0, y1, x1] on 0–1000 and mask a base64 PNG of the box's
 * size whose pixels are probabilities (0–255); thinking is turned off where the model allows it.
 * Each mask is scaled into its box; one that is malformed, outside the image, empty or labelled with
 * something not asked for is dropped with a note. A reply that is not a list is asked again once.
 */
async function segment(model: VisionModel, images: ImageProcessor, image: PreparedImage, things: string, signal: AbortSignal | undefined): Promise<{ masks: LabelledMask[]; notes: string[] }> {
  const prompt = `Give the segmentation masks for the ${things.trim().replace(/^the\s+/i, '')}. Output a JSON list of segmentation masks where each entry contains the 2D bounding box in the key "box_2d", the segmentation mask in key "mask", and the text label in the key "label". Use the words of this request as labels. Reply [] if there are none.`;
  let entries: unknown[] | undefined;
  for (let attempt = 0; attempt < 2 && !entries; attempt++) {
    const parsed = parseJson(await model.look(image, prompt, { maxOutputTokens: SEGMENT_MAX_OUTPUT_TOKENS, withoutThinking: true, signal }));
    if (Array.isArray(parsed)) entries = parsed;
  }
  if (!entries) {
    throw new ProviderError('Gemini', 'The vision model did not return the masks in the expected format (twice). Try again, or rephrase what to find.', {
      retryable: true,
      code: 'invalid_segmentation',
    });
  }
  const asked = new Set(tokenize(things));
  const masks: LabelledMask[] = [];
  const notes: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const parsed = maskEntry.safeParse(entry);
    const named = parsed.success ? `the mask labelled “${parsed.data.label}”` : `mask ${i + 1}`;
    if (!parsed.success) {
      notes.push(`${named} was dropped: it is not a box, a mask and a label.`);
      continue;
    }
    const { box_2d: box, mask, label } = parsed.data;
    if (asked.size > 0 && !tokenize(label).some((t) => asked.has(t))) {
      notes.push(`${named} was dropped: it is not among the things asked for (${things}).`);
      continue;
    }
    if (box.some((v) => v < 0 || v > 1000)) {
      notes.push(`${named} was dropped: its box [${box.join(', ')}] is outside the image (0–1000).`);
      continue;
    }
    const place = boxPixels(box, image);
    if (!place) {
      notes.push(`${named} was dropped: its box [${box.join(', ')}] has no area.`);
      continue;
    }
    const png = Buffer.from(mask.replace(/^data:image\/png;base64,/i, ''), 'base64');
    const pixels = await images.readMask(png, place.width, place.height);
    if (!pixels) {
      notes.push(`${named} was dropped: its mask is not a PNG image.`);
      continue;
    }
    if (!pixels.some((p) => p > 0)) {
      notes.push(`${named} was dropped: its mask is empty.`);
      continue;
    }
    masks.push({ label, ...place, pixels });
  }
  return { masks, notes };
}

/** A mask's box (0–1000) in pixels of the image sent, or undefined when it has no area. */
function boxPixels(box: readonly number[], image: { width: number; height: number }): { left: number; top: number; width: number; height: number } | undefined {
  const [ymin, xmin, ymax, xmax] = box;
  if (ymin >= ymax || xmin >= xmax) return undefined;
  const left = Math.round((xmin / 1000) * image.width);
  const top = Math.round((ymin / 1000) * image.height);
  const width = Math.round((xmax / 1000) * image.width) - left;
  const height = Math.round((ymax / 1000) * image.height) - top;
  return width > 0 && height > 0 ? { left, top, width, height } : undefined;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw.trim().replace(/^```(?:json)?\s*/i, '').replace(/```$/, ''));
  } catch {
    return undefined;
  }
}

/** box_2d is [ymin, xmin, ymax, xmax] in 0–1000 of the image sent; clamp and scale to pixels. */
export function toPixels(label: string, box: readonly number[], image: { width: number; height: number }): LabelledBox {
  const clamp = (v: number) => Math.min(1000, Math.max(0, v));
  const [ymin, xmin, ymax, xmax] = box.map(clamp);
  const left = Math.round((Math.min(xmin, xmax) / 1000) * image.width);
  const top = Math.round((Math.min(ymin, ymax) / 1000) * image.height);
  return {
    label,
    left,
    top,
    width: Math.round((Math.abs(xmax - xmin) / 1000) * image.width),
    height: Math.round((Math.abs(ymax - ymin) / 1000) * image.height),
  };
}
