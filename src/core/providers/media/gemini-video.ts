import type { File as GeminiFile, GoogleGenAI, Part } from '@google/genai';
import { ProviderError } from '../../ports/errors.js';
import type { VideoAnswer, VideoClip, VideoModel } from '../../ports/ports.js';
import { describeGeminiFailure } from '../models/gemini-embedder.js';
import { geminiClient } from '../models/gemini-client.js';
import type { ProviderCallOptions } from '../models/provider-options.js';
import { withRetries } from '../models/retry.js';

export interface GeminiVideoOptions extends ProviderCallOptions {
  readonly apiKey: string;
  readonly baseUrl: string | undefined;
  /** Clips up to this many bytes go inline; the API takes requests up to 20 MB, and base64 adds a third. */
  readonly inlineMaxBytes: number;
  readonly maxOutputTokens: number;
  /** The longest wait between reads of an uploaded clip's processing state (the first comes after a quarter of it), and how long to wait at most. */
  readonly pollMs?: number;
  readonly processingTimeoutMs?: number;
}

const DEFAULT_POLL_MS = 2_000;
const DEFAULT_PROCESSING_TIMEOUT_MS = 5 * 60_000;

/**
 * Gemini video understanding (VISION_MODEL) through @google/genai. A small clip goes inline with
 * the prompt; a larger one is uploaded with the Files API (resumable upload in 8 MB chunks), read
 * once Gemini has processed it (state ACTIVE), and deleted right after the answer, whatever happened,
 * rather than left for Gemini's 48-hour expiry.
 */
export class GeminiVideo implements VideoModel {
  private readonly ai: GoogleGenAI;

  constructor(
    readonly model: string,
    private readonly options: GeminiVideoOptions,
  ) {
    // The Files API is documented on v1beta (upload/v1beta/files); the clip's file URI is used there too.
    this.ai = geminiClient({ ...options, apiVersion: 'v1beta' }, {
      describe: ({ status, message }) =>
        status === 404 && /file/i.test(message) ? 'Gemini no longer has the uploaded clip. Post it again.' : describeGeminiFailure(status, message, model, 'VISION_MODEL'),
    });
  }

  async watch(clip: VideoClip, prompt: string, options: { signal?: AbortSignal }): Promise<VideoAnswer> {
    if (clip.data.length <= this.options.inlineMaxBytes) {
      const answer = await this.generate({ inlineData: { mimeType: clip.mimeType, data: clip.data.toString('base64') } }, prompt, options.signal);
      return { ...answer, delivery: 'inline' };
    }
    const uploaded = await this.upload(clip, options.signal);
    try {
      const file = await this.whenProcessed(uploaded, clip.name, options.signal);
      const answer = await this.generate({ fileData: { fileUri: file.uri, mimeType: file.mimeType ?? clip.mimeType } }, prompt, options.signal);
      return { ...answer, delivery: 'uploaded' };
    } finally {
      await this.remove(uploaded);
    }
  }

  private generate(media: Part, prompt: string, signal: AbortSignal | undefined): Promise<Omit<VideoAnswer, 'delivery'>> {
    return withRetries(
      'gemini video',
      async () => {
        // Gemini's guidance for a single clip: the video part before the text.
        const response = await this.ai.models.generateContent({
          model: this.model,
          contents: [{ role: 'user', parts: [media, { text: prompt }] }],
          config: { temperature: 0.2, maxOutputTokens: this.options.maxOutputTokens, ...(signal ? { abortSignal: signal } : {}) },
        });
        const text = response.text ?? '';
        if (text.trim().length === 0) throw new ProviderError('Gemini', 'Gemini returned no answer for the clip.', { retryable: true });
        return { text, inputTokens: response.usageMetadata?.promptTokenCount, outputTokens: response.usageMetadata?.candidatesTokenCount };
      },
      this.retries(signal),
    );
  }

  private upload(clip: VideoClip, signal: AbortSignal | undefined): Promise<GeminiFile & { name: string }> {
    return withRetries(
      'gemini video upload',
      async () => {
        let file: GeminiFile;
        try {
          const blob = new Blob([new Uint8Array(clip.data.buffer, clip.data.byteOffset, clip.data.length)], { type: clip.mimeType });
          file = await this.ai.files.upload({ file: blob, config: { mimeType: clip.mimeType, displayName: clip.name, ...(signal ? { abortSignal: signal } : {}) } });
        } catch (error) {
          if (error instanceof ProviderError || signal?.aborted) throw error;
          // The SDK's own failures (no upload URL, an upload never finalized) are plain Errors.
          throw new ProviderError('Gemini', `Gemini did not accept the upload of “${clip.name}”. Try again shortly.`, { retryable: true, cause: error, detail: String(error) });
        }
        if (!file.name) throw new ProviderError('Gemini', `Gemini did not say where it stored “${clip.name}”.`, { retryable: true });
        return { ...file, name: file.name };
      },
      this.retries(signal),
    );
  }

  /** Waits until Gemini has processed an uploaded clip: ACTIVE to use, FAILED refused. */
  private async whenProcessed(uploaded: GeminiFile & { name: string }, clipName: string, signal: AbortSignal | undefined): Promise<GeminiFile & { uri: string }> {
    const deadline = this.options.clock.now().getTime() + (this.options.processingTimeoutMs ?? DEFAULT_PROCESSING_TIMEOUT_MS);
    let file: GeminiFile = uploaded;
    for (let wait = (this.options.pollMs ?? DEFAULT_POLL_MS) / 4; ; wait = Math.min(wait * 2, this.options.pollMs ?? DEFAULT_POLL_MS)) {
      if (file.state === 'ACTIVE' && file.uri) return { ...file, uri: file.uri };
      if (file.state === 'FAILED') {
        const reason = file.error?.message ? `: ${file.error.message}` : '';
        throw new ProviderError('Gemini', `Gemini could not process “${clipName}”${reason}. The file may be damaged, or in an encoding Gemini does not read.`, { retryable: false, code: 'video_failed' });
      }
      if (this.options.clock.now().getTime() >= deadline) {
        throw new ProviderError('Gemini', `Gemini was still processing “${clipName}” after ${Math.round((this.options.processingTimeoutMs ?? DEFAULT_PROCESSING_TIMEOUT_MS) / 1000)} s. Try again later, or post a shorter clip.`, {
          retryable: false,
          code: 'video_processing_timeout',
        });
      }
      await this.options.clock.sleep(wait, signal);
      file = await withRetries('gemini video state', () => this.ai.files.get({ name: uploaded.name, config: signal ? { abortSignal: signal } : {} }), this.retries(signal));
    }
  }

  private async remove(file: { name: string }): Promise<void> {
    // Not tied to the request's signal: a cancelled question still deletes what it uploaded.
    await this.ai.files.delete({ name: file.name }).catch((error: unknown) => {
      this.options.logger.warn({ file: file.name, err: error instanceof Error ? error.message : String(error) }, 'could not delete an uploaded clip; Gemini removes it within 48 hours');
    });
  }

  private retries(signal: AbortSignal | undefined) {
    return { maxRetries: this.options.maxRetries, clock: this.options.clock, logger: this.options.logger, signal };
  }
}
