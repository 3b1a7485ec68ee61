import sharp from 'sharp';

/** An object the fake "sees" in every image: its box ([y0, x0, y1, x1] on 0–1000) and its shape inside the box. */
export interface SceneObject {
  readonly label: string;
  readonly box_2d: readonly [number, number, number, number];
  readonly shape?: 'ellipse' | 'rectangle';
}

/** What the fake is asked to segment: the things named in the prompt, and the size of the image sent. */
export interface SegmentRequest {
  readonly things: string;
  readonly image: { readonly width: number; readonly height: number };
}

/** The things a segmentation prompt names: Google's prompt begins "Give the segmentation masks for the …". */
export function segmentedThings(prompt: string): string | undefined {
  return /segmentation masks? for (?:the )?(.+?)\.\s*Output a JSON list/is.exec(prompt)?.[1];
}

/**
 * A probability map as Gemini returns one: a greyscale PNG of `width` × `height` pixels, 255 inside
 * the shape and 0 outside, with a soft (mid-probability) rim, as a model's masks have.
 */
export async function maskPng(width: number, height: number, shape: 'ellipse' | 'rectangle' = 'ellipse'): Promise<Buffer> {
  const inner =
    shape === 'ellipse'
      ? `<ellipse cx="${width / 2}" cy="${height / 2}" rx="${width / 2}" ry="${height / 2}" fill="rgb(90,90,90)"/><ellipse cx="${width / 2}" cy="${height / 2}" rx="${Math.max(1, width / 2 - 2)}" ry="${Math.max(1, height / 2 - 2)}" fill="white"/>`
      : `<rect width="${width}" height="${height}" fill="white"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="black"/>${inner}</svg>`;
  return sharp(Buffer.from(svg)).greyscale().toColourspace('b-w').png().toBuffer();
}

/** One entry of the documented answer: the box, the mask as a data URL of a PNG of the box's size in pixels, and the label. */
export async function segmentEntry(object: SceneObject, image: { width: number; height: number }): Promise<{ box_2d: number[]; mask: string; label: string }> {
  const [y0, x0, y1, x1] = object.box_2d;
  const width = Math.max(1, Math.round(((x1 - x0) / 1000) * image.width));
  const height = Math.max(1, Math.round(((y1 - y0) / 1000) * image.height));
  const png = await maskPng(width, height, object.shape);
  return { box_2d: [...object.box_2d], mask: `data:image/png;base64,${png.toString('base64')}`, label: object.label };
}

/**
 * The fake's segmentation: the scene's objects whose label shares a word with the things asked for
 * (without a scene, each thing asked for is found once, in a box of its own), in the documented
 * format, fenced as a JSON code block as Gemini writes it.
 */
export async function answerSegmentation(request: SegmentRequest, scene: readonly SceneObject[] | undefined): Promise<string> {
  const asked = request.things
    .split(/,|\band\b/)
    .map((t) => t.trim().replace(/^(?:the|a|an|all|every)\s+/i, ''))
    .filter((t) => t.length > 0);
  const words = new Set(asked.flatMap((t) => t.toLowerCase().split(/\s+/)).map((w) => w.replace(/s$/, '')));
  const objects =
    scene?.filter((o) => o.label.toLowerCase().split(/\s+/).some((w) => words.has(w.replace(/s$/, '')))) ??
    asked.map((label, i): SceneObject => ({ label, box_2d: [100 + i * 50, 100 + i * 50, 600 + i * 50, 600 + i * 50] }));
  const entries = await Promise.all(objects.map((o) => segmentEntry(o, request.image)));
  return `\`\`\`json\n${JSON.stringify(entries, null, 2)}\n\`\`\``;
}
