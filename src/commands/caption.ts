import { VISION_MODES } from '../core/api.js';
import type { VisionMode } from '../core/ports.js';
import { BadInputError } from '../core/errors.js';
import { imageDetails } from './details.js';
import { defineCommand } from './types.js';

/**
 * What someone wants from an image they posted with some words: a leading mode word picks the
 * mode ("detect bicycles", "ocr", "caption"); other words are a question; no words, a description.
 */
export function captionRequest(text: string): { mode: VisionMode; question?: string } {
  const words = text.trim();
  const [first = '', ...rest] = words.split(/\s+/);
  const mode = first.toLowerCase().replace(/[:,]$/, '');
  const remainder = rest.join(' ').trim();
  if (mode === 'read' || mode === 'ocr') return { mode: 'ocr' };
  if (mode === 'caption' || mode === 'describe') return { mode };
  if ((mode === 'detect' || mode === 'find') && remainder.length > 0) return { mode: 'detect', question: remainder };
  if (mode === 'ask' && remainder.length > 0) return { mode: 'ask', question: remainder };
  return words.length > 0 ? { mode: 'ask', question: words } : { mode: 'describe' };
}

export const captionCommand = defineCommand({
  name: 'caption',
  description: 'Caption, describe, read, question or search an image',
  messageActions: [
    { label: 'Describe image', options: { mode: 'describe' } },
    { label: 'Read text', options: { mode: 'ocr' } },
  ],
  options: [
    { name: 'image', description: 'The image', type: 'attachment', required: true },
    { name: 'mode', description: 'caption, describe, ocr (read text), ask or detect', type: 'string', required: false },
    { name: 'question', description: 'For ask: the question; for detect: what to find', type: 'string', required: false, maxLength: 1000 },
  ],
  help: 'Modes: caption (one line), describe (alt text), ocr (the text, verbatim), ask <question>, detect <things> (draws boxes). Example: /caption photo.jpg detect bicycles',
  async run(options, context) {
    const files = options.image;
    if (files.length !== 1) throw new BadInputError('bad_option', 'Give exactly one image.');
    const mode = (typeof options.mode === 'string' ? options.mode.toLowerCase() : 'caption') as VisionMode;
    if (!VISION_MODES.includes(mode)) throw new BadInputError('bad_option', `“${String(options.mode)}” is not a mode. Use one of: ${VISION_MODES.join(', ')}.`);
    const question = typeof options.question === 'string' ? options.question : undefined;
    const started = performance.now();
    const offline = !(await context.core.knowledge.providersAllowed(context.scope));
    const result = await context.core.vision.look(files[0], mode, question, context.signal, { offline });
    context.metrics.mode = mode;
    context.metrics.estimatedTokens = result.image.estimatedTokens;
    const base = files[0].name.replace(/\.[^.]+$/, '');
    return {
      text: mode === 'ocr' ? `Text in ${result.file}:\n\`\`\`\n${result.text}\n\`\`\`` : result.text,
      files: result.annotated ? [{ name: `${base}-annotated.png`, data: result.annotated }] : undefined,
      details: imageDetails(result, performance.now() - started),
      data: {
        mode,
        file: result.file,
        text: result.text,
        boxes: result.boxes,
        engine: result.engine,
        image: result.image,
      },
    };
  },
});
