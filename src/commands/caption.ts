import { VISION_MODES, type VideoMode } from '../core/public-surface.js';
import type { VisionMode } from '../core/ports/ports.js';
import { BadInputError } from '../core/ports/errors.js';
import { isVideoFile, type FileSource } from '../core/ports/types.js';
import { imageDetails, videoDetails } from './render-details.js';
import { defineCommand, type CommandContext, type CommandResult } from './types.js';

/**
 * What someone wants from an image they posted with some words: a leading mode word picks the
 * mode ("detect bicycles", "segment the cat", "ocr", "caption"); other words are a question; no words, a description.
 */
export function captionRequest(text: string): { mode: VisionMode; question?: string } {
  const words = text.trim();
  return modeRequest(words) ?? (words.length > 0 ? { mode: 'ask', question: words } : { mode: 'describe' });
}

/** The mode a text's first word names, with the words after it; undefined when it names none. */
function modeRequest(words: string): { mode: VisionMode; question?: string } | undefined {
  const [first = '', ...rest] = words.split(/\s+/);
  const mode = first.toLowerCase().replace(/[:,]$/, '');
  const remainder = rest.join(' ').trim();
  if (mode === 'read' || mode === 'ocr') return { mode: 'ocr' };
  if (mode === 'caption' || mode === 'describe') return { mode };
  if ((mode === 'detect' || mode === 'find') && remainder.length > 0) return { mode: 'detect', question: remainder };
  if ((mode === 'segment' || mode === 'outline') && remainder.length > 0) return { mode: 'segment', question: remainder };
  if (mode === 'ask' && remainder.length > 0) return { mode: 'ask', question: remainder };
  return undefined;
}

export const captionCommand = defineCommand({
  name: 'caption',
  description: 'Caption, describe, read, question or search an image; caption, describe or question a video clip',
  messageActions: [
    // A message whose words name a mode ("segment the cats", "detect bicycles") gets that mode; others a description.
    { label: 'Describe image', options: { mode: 'describe' }, fromText: (text) => modeRequest(text.trim()) ?? {} },
    { label: 'Read text', options: { mode: 'ocr' } },
  ],
  options: [
    // Named "image" since the first release (people and scripts use /caption image:…); it takes clips too.
    { name: 'image', description: 'The image, or a video clip (.mp4, .mov, .webm)', type: 'attachment', required: true },
    { name: 'mode', description: 'caption, describe, ocr (read text), ask, detect or segment; for clips caption, describe or ask', type: 'string', required: false },
    { name: 'question', description: 'For ask: the question; for detect and segment: what to find', type: 'string', required: false, maxLength: 1000 },
  ],
  help: 'Modes: caption (one line), describe (alt text), ocr (the text, verbatim), ask <question>, detect <things> (draws boxes), segment <things> (draws each one\'s outline). Video clips: caption, describe (what happens, with timestamps) or ask. Example: /caption photo.jpg segment the cat',
  async run(options, context) {
    const files = options.image;
    if (files.length !== 1) throw new BadInputError('bad_option', 'Give exactly one image or video clip.');
    const mode = (typeof options.mode === 'string' ? options.mode.toLowerCase() : 'caption') as VisionMode;
    if (!VISION_MODES.includes(mode)) throw new BadInputError('bad_option', `“${String(options.mode)}” is not a mode. Use one of: ${VISION_MODES.join(', ')}.`);
    const question = typeof options.question === 'string' ? options.question : undefined;
    const started = performance.now();
    const offline = !(await context.core.knowledge.providersAllowed(context.scope));
    if (isVideoFile(files[0].name, files[0].mimeType)) return watchClip(files[0], mode, question, context, { offline, started });
    const result = await context.core.vision.look(files[0], mode, question, context.signal, { offline });
    context.metrics.mode = mode;
    context.metrics.estimatedTokens = result.image.estimatedTokens;
    const base = files[0].name.replace(/\.[^.]+$/, '');
    return {
      text: mode === 'ocr' ? `Text in ${result.file}:\n\`\`\`\n${result.text}\n\`\`\`` : result.text,
      files: result.annotated ? [{ name: `${base}-${mode === 'segment' ? 'segmented' : 'annotated'}.png`, data: result.annotated }] : undefined,
      details: imageDetails(result, performance.now() - started),
      data: {
        mode,
        file: result.file,
        text: result.text,
        boxes: result.boxes,
        ...(result.notes.length > 0 ? { notes: result.notes } : {}),
        engine: result.engine,
        image: result.image,
      },
    };
  },
});

/** A clip given to /caption or posted to Docent: Gemini watches it (there is no offline way). */
async function watchClip(file: FileSource, mode: string, question: string | undefined, context: CommandContext, how: { offline: boolean; started: number }): Promise<CommandResult> {
  const result = await context.core.video.watch(file, mode as VideoMode, question, context.signal, { offline: how.offline });
  context.metrics.mode = `video ${mode}`;
  if (result.clip.estimatedTokens !== undefined) context.metrics.estimatedTokens = result.clip.estimatedTokens;
  return {
    text: result.text,
    details: videoDetails(result, performance.now() - how.started),
    data: { mode, file: result.file, text: result.text, engine: result.engine, clip: result.clip },
  };
}
