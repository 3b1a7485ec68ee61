import { VISION_MODES } from '../core/vision/vision.js';
import type { VisionMode } from '../core/ports.js';
import type { FileSource } from '../core/types.js';
import { BadInputError } from '../core/errors.js';
import { defineCommand } from './types.js';

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
    const files = options.image as readonly FileSource[];
    if (files.length !== 1) throw new BadInputError('bad_option', 'Give exactly one image.');
    const mode = (typeof options.mode === 'string' ? options.mode.toLowerCase() : 'caption') as VisionMode;
    if (!VISION_MODES.includes(mode)) throw new BadInputError('bad_option', `“${String(options.mode)}” is not a mode. Use one of: ${VISION_MODES.join(', ')}.`);
    const question = typeof options.question === 'string' ? options.question : undefined;
    const result = await context.core.vision.look(files[0], mode, question, context.signal);
    context.metrics.mode = mode;
    context.metrics.estimatedTokens = result.image.estimatedTokens;
    const base = files[0].name.replace(/\.[^.]+$/, '');
    return {
      text: mode === 'ocr' ? `Text in ${result.file}:\n\`\`\`\n${result.text}\n\`\`\`` : result.text,
      files: result.annotated ? [{ name: `${base}-annotated.png`, data: result.annotated }] : undefined,
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
