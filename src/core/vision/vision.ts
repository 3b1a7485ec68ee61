import { z } from 'zod';
import { BadInputError, NotConfiguredError, ProviderError } from '../errors.js';
import type { ImageProcessor, LabelledBox, Logger, OcrEngine, PreparedImage, VisionMode, VisionModel } from '../ports.js';
import type { FileSource } from '../types.js';

export const VISION_MODES: readonly VisionMode[] = ['caption', 'describe', 'ocr', 'ask', 'detect'];

export interface VisionResult {
  readonly mode: VisionMode;
  readonly file: string;
  readonly text: string;
  readonly boxes: readonly LabelledBox[];
  /** The image with the detected objects boxed and labelled (detect mode), as PNG. */
  readonly annotated: Buffer | undefined;
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

const PROMPTS: Record<Exclude<VisionMode, 'ask' | 'detect'>, string> = {
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
      if ((mode === 'ask' || mode === 'detect') && !question?.trim()) {
        throw new BadInputError('bad_option', mode === 'ask' ? 'Ask mode needs a question about the image.' : 'Detect mode needs the things to find, e.g. "cats, bicycles".');
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
        return { ...base, text: found ? text : 'No text found in the image.', boxes: [], annotated: undefined, engine: 'tesseract (offline)' };
      }

      if (mode === 'detect') {
        const boxes = await detect(model, image, question ?? '', signal);
        const text = boxes.length === 0 ? `Found no ${question} in the image.` : boxes.map((b, i) => `${i + 1}. ${b.label}`).join('\n');
        return { ...base, text, boxes, annotated: boxes.length > 0 ? await deps.images.annotate(image, boxes) : undefined, engine: model.model };
      }
      const prompt = mode === 'ask' ? `Answer this question about the image: ${question}\nIf the image does not show the answer, say so plainly.` : PROMPTS[mode];
      const raw = (await model.look(image, prompt, { signal })).trim();
      const text = mode === 'ocr' && raw === NO_TEXT ? 'No text found in the image.' : mode === 'caption' ? raw.split('\n')[0].replace(/^["“]|["”]$/g, '') : raw;
      return { ...base, text, boxes: [], annotated: undefined, engine: model.model };
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
