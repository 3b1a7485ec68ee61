import { BadInputError, NotConfiguredError } from '../ports/errors.js';
import { mayBeReadableVideo, READABLE_VIDEOS } from '../ports/media-kinds.js';
import type { Logger, VideoMimeType, VideoModel } from '../ports/ports.js';
import type { FileSource } from '../ports/types.js';
import { probeVideo, type VideoProbe } from './video-probe.js';

export type VideoMode = 'caption' | 'describe' | 'ask';
export const VIDEO_MODES: readonly VideoMode[] = ['caption', 'describe', 'ask'];

export interface VideoResult {
  readonly mode: VideoMode;
  readonly file: string;
  readonly text: string;
  readonly engine: string;
  readonly clip: {
    readonly bytes: number;
    readonly seconds: number | undefined;
    readonly mimeType: VideoMimeType;
    /** What Gemini will likely count for it: about 300 tokens a second (a frame a second, its sound, timestamps). */
    readonly estimatedTokens: number | undefined;
    readonly delivery: 'inline' | 'uploaded';
  };
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

export interface VideoService {
  watch(file: FileSource, mode: VideoMode, question: string | undefined, signal?: AbortSignal, options?: { offline?: boolean }): Promise<VideoResult>;
}

export interface VideoDeps {
  readonly model: VideoModel | undefined;
  readonly maxBytes: number;
  readonly maxSeconds: number;
  readonly logger: Logger;
}

/** Gemini samples a frame a second (258 tokens), its sound (32 a second) and a timestamp. */
const TOKENS_PER_SECOND = 300;

const PROMPTS: Record<Exclude<VideoMode, 'ask'>, string> = {
  caption: 'Write one short caption for this video clip: a single line, no quotes.',
  describe:
    'Describe this video clip for someone who cannot watch it: what happens, in order, with MM:SS timestamps for the key moments; who or what appears; any text shown on screen; and what is said, if anything. Plain sentences, no preamble.',
};

/**
 * Video clips: caption, describe or a question about them, answered by Gemini's video
 * understanding. Checked here first, before anything is sent: the format from the bytes (MP4,
 * QuickTime or WebM), the size (VIDEO_MAX_MB) and the duration (VIDEO_MAX_SECONDS) from the
 * container's headers. There is no offline way to watch a clip: without a Gemini key, or in a
 * channel that keeps model providers out, the answer says so.
 */
export function createVideoService(deps: VideoDeps): VideoService {
  return {
    async watch(file, mode, question, signal, options) {
      if (!VIDEO_MODES.includes(mode)) {
        throw new BadInputError('bad_option', `Reading text and finding objects work on images. For a video clip, use caption, describe or ask.`);
      }
      if (mode === 'ask' && !question?.trim()) throw new BadInputError('bad_option', 'Ask mode needs a question about the clip.');
      if (!mayBeReadableVideo(file.name)) throw new BadInputError('unsupported_video', `Docent can send ${READABLE_VIDEOS} clips to Gemini; “${file.name}” is another format. Convert it to MP4 and post it again.`);
      const model = options?.offline ? undefined : deps.model;
      if (!model) {
        if (options?.offline) throw new BadInputError('ai_off', 'Model providers are off in this channel (/settings ai), and watching a video clip needs one: there is no offline way to do it.');
        throw new NotConfiguredError('GEMINI_API_KEY', 'Watching video clips needs a Gemini key: set GEMINI_API_KEY. There is no offline way to do it.');
      }
      const tooLarge = () =>
        new BadInputError('video_too_large', `“${file.name}” is larger than ${Math.round(deps.maxBytes / (1024 * 1024))} MB, the most Docent sends (VIDEO_MAX_MB). Trim or compress it and post it again.`);
      if (file.size !== undefined && file.size > deps.maxBytes) throw tooLarge();
      const data = await file.read(deps.maxBytes);
      if (data.length > deps.maxBytes) throw tooLarge();
      const probe = probeVideo(data);
      const mimeType = checkedType(file.name, data, probe, deps.maxSeconds);
      const seconds = probe?.seconds;
      deps.logger.info({ mode, file: file.name, bytes: data.length, seconds, mimeType }, 'video clip checked');

      const prompt =
        mode === 'ask' ? `Answer this question about the video clip: ${question}\nName the MM:SS moments you rely on. If the clip does not show or say the answer, say so plainly.` : PROMPTS[mode];
      const answer = await model.watch({ data, mimeType, name: file.name }, prompt, { signal });
      const raw = answer.text.trim();
      return {
        mode,
        file: file.name,
        text: mode === 'caption' ? raw.split('\n')[0].replace(/^["“]|["”]$/g, '') : raw,
        engine: model.model,
        clip: { bytes: data.length, seconds, mimeType, estimatedTokens: seconds === undefined ? undefined : Math.ceil(seconds * TOKENS_PER_SECOND), delivery: answer.delivery },
        inputTokens: answer.inputTokens,
        outputTokens: answer.outputTokens,
      };
    },
  };
}

/** The clip's MIME type, from its bytes; refuses what is no readable clip, has no picture, or runs too long. */
function checkedType(name: string, data: Buffer, probe: VideoProbe | undefined, maxSeconds: number): VideoMimeType {
  if (!probe) throw new BadInputError('not_video', `“${name}” is not a video Docent can read: it takes ${READABLE_VIDEOS}.`);
  if (probe.hasVideo === false) throw new BadInputError('no_picture', `“${name}” has no video track (only sound). Docent describes clips with a picture.`);
  if (probe.seconds !== undefined && probe.seconds > maxSeconds) {
    throw new BadInputError('video_too_long', `“${name}” runs ${clock(probe.seconds)}; Docent watches clips up to ${clock(maxSeconds)} (VIDEO_MAX_SECONDS). Trim it and post it again.`);
  }
  if (probe.container === 'webm') return 'video/webm';
  const brand = data.length >= 12 && data.toString('latin1', 4, 8) === 'ftyp' ? data.toString('latin1', 8, 12) : '';
  return brand === 'qt  ' || /\.mov$/i.test(name) ? 'video/mov' : 'video/mp4';
}

/** 95 → "1:35", 3600 → "1:00:00". */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
