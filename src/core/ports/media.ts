export type VisionMode = 'caption' | 'describe' | 'ocr' | 'ask' | 'detect' | 'segment';

export interface PreparedImage {
  readonly data: Buffer;
  readonly mimeType: 'image/jpeg' | 'image/png';
  readonly width: number;
  readonly height: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
  /** Tokens Gemini will likely count for this image (258 per 768-px tile, 258 when both sides ≤ 384). */
  readonly estimatedTokens: number;
}

export interface LabelledBox {
  readonly label: string;
  /** Pixel rectangle on the prepared image. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A segmented object: its box on the prepared image and which of the box's pixels are the object. */
export interface LabelledMask extends LabelledBox {
  /** width × height bytes, row by row: 255 where the object is, 0 elsewhere. */
  readonly pixels: Buffer;
}

/** Options of one look at an image. */
export interface ModelLookOptions {
  /** Ask for a JSON reply in this shape (structured output). */
  readonly responseSchema?: object;
  /** The longest reply in tokens, when this look needs more than the model's usual (masks are long). */
  readonly maxOutputTokens?: number;
  /** Answer without thinking first, where the model allows it (spatial tasks are documented to do better so). */
  readonly withoutThinking?: boolean;
  readonly signal?: AbortSignal;
}

/** Image work done locally before and after a model sees it. */
export interface ImageProcessor {
  /** Orients, converts, strips metadata and downsizes for the mode; refuses what is not a usable image. */
  prepare(data: Buffer, mode: VisionMode, name: string): Promise<PreparedImage>;
  /** The image with labelled boxes drawn on it, as PNG. */
  annotate(image: PreparedImage, boxes: readonly LabelledBox[]): Promise<Buffer>;
  /**
   * A mask image (PNG whose pixel values are probabilities, 0–255) scaled to `width` × `height` and
   * cut at the middle probability: a LabelledMask's pixels. Undefined when the data is not a PNG image.
   */
  readMask(png: Buffer, width: number, height: number): Promise<Buffer | undefined>;
  /** The image with each mask filled translucently, outlined and labelled, as PNG. */
  annotateMasks(image: PreparedImage, masks: readonly LabelledMask[]): Promise<Buffer>;
}

/** A model that looks at an image and answers a prompt (Gemini vision). */
export interface VisionModel {
  readonly model: string;
  look(image: PreparedImage, prompt: string, options: ModelLookOptions): Promise<string>;
}

/** Reads text in an image without any network (tesseract). */
export interface OcrEngine {
  recognize(image: PreparedImage, signal?: AbortSignal): Promise<{ text: string; confidence: number }>;
  close(): Promise<void>;
}

/** The video formats Gemini reads that Docent can check before sending (their MIME types as Gemini names them). */
export type VideoMimeType = 'video/mp4' | 'video/webm' | 'video/mov';

/** A clip as sent to a model. */
export interface VideoClip {
  readonly data: Buffer;
  readonly mimeType: VideoMimeType;
  readonly name: string;
}

export interface VideoAnswer {
  readonly text: string;
  /** How the clip reached the model: inline in the request, or uploaded with the Files API (and deleted after). */
  readonly delivery: 'inline' | 'uploaded';
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** A model that watches a clip and answers a prompt (Gemini video understanding). */
export interface VideoModel {
  readonly model: string;
  watch(clip: VideoClip, prompt: string, options: { signal?: AbortSignal }): Promise<VideoAnswer>;
}
