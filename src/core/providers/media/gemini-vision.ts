import type { GoogleGenAI } from '@google/genai';
import { ProviderError } from '../../ports/errors.js';
import type { ModelLookOptions, PreparedImage, VisionModel } from '../../ports/ports.js';
import { geminiClient } from '../models/gemini-client.js';
import { describeGeminiFailure } from '../models/gemini-embedder.js';
import type { ProviderCallOptions } from '../models/provider-options.js';
import { withRetries } from '../models/retry.js';

/** A Gemini vision model (VISION_MODEL) through @google/genai: the image goes inline with the prompt. */
export class GeminiVision implements VisionModel {
  private readonly ai: GoogleGenAI;

  constructor(
    readonly model: string,
    private readonly options: ProviderCallOptions & { apiKey: string; baseUrl: string | undefined; temperature: number; maxOutputTokens: number },
  ) {
    this.ai = geminiClient(options, { describe: ({ status, message }) => describeGeminiFailure(status, message, model, 'VISION_MODEL') });
  }

  look(image: PreparedImage, prompt: string, options: ModelLookOptions): Promise<string> {
    return withRetries(
      'gemini vision',
      async () => {
        const response = await this.ai.models.generateContent({
          model: this.model,
          contents: [{ role: 'user', parts: [{ text: prompt }, { inlineData: { mimeType: image.mimeType, data: image.data.toString('base64') } }] }],
          config: {
            temperature: this.options.temperature,
            maxOutputTokens: Math.max(this.options.maxOutputTokens, options.maxOutputTokens ?? 0),
            ...(options.withoutThinking && canAnswerWithoutThinking(this.model) ? { thinkingConfig: { thinkingBudget: 0 } } : {}),
            ...(options.responseSchema ? { responseMimeType: 'application/json', responseJsonSchema: options.responseSchema } : {}),
            ...(options.signal ? { abortSignal: options.signal } : {}),
          },
        });
        const text = response.text ?? '';
        if (text.trim().length === 0) throw new ProviderError('Gemini', 'Gemini returned no answer for the image.', { retryable: true });
        return text;
      },
      { maxRetries: this.options.maxRetries, clock: this.options.clock, logger: this.options.logger, signal: options.signal },
    );
  }
}

/**
 * Whether a thinking budget of 0 is accepted: Gemini 2.5 Flash and Flash-Lite turn thinking off with
 * it; 2.5 Pro refuses it (it only works thinking) and other models set thinking another way.
 */
function canAnswerWithoutThinking(model: string): boolean {
  return /^gemini-2\.5-flash/.test(model);
}
