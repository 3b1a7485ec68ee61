import sharp from 'sharp';
import { estimateImageTokens, SharpImages } from '../src/core/providers/media/sharp-images.js';
import { VISION_MODES } from '../src/core/vision/vision.js';

/**
 * For a 4032×3024 phone photo: the input tokens Gemini would be charged per mode after
 * preparation, against sending the photo at full resolution, and how long preparation takes.
 * Target: caption, describe and ask at most a quarter of full resolution.
 */
export async function benchVision(): Promise<Record<string, unknown>> {
  const width = 4032;
  const height = 3024;
  // A photo-like image: a gradient with noise, so the JPEG is realistically large.
  const noise = Buffer.alloc(width * height * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7 + ((i * 2654435761) >>> 24)) & 0xff;
  const photo = await sharp(noise, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
  const images = new SharpImages({ maxPixels: 50_000_000 });
  const full = estimateImageTokens(width, height);
  const modes: Record<string, unknown> = {};
  for (const mode of VISION_MODES) {
    const started = performance.now();
    const prepared = await images.prepare(photo, mode, 'photo.jpg');
    modes[mode] = {
      sent: `${prepared.width}×${prepared.height}`,
      estimatedTokens: prepared.estimatedTokens,
      shareOfFullResolution: Number((prepared.estimatedTokens / full).toFixed(3)),
      prepareMs: Math.round(performance.now() - started),
    };
  }
  const share = (mode: string) => (modes[mode] as { shareOfFullResolution: number }).shareOfFullResolution;
  return {
    photo: { width, height, bytes: photo.length, fullResolutionTokens: full },
    modes,
    target: 'caption, describe and ask ≤ 0.25 of full resolution',
    targetMet: ['caption', 'describe', 'ask'].every((mode) => share(mode) <= 0.25),
  };
}
