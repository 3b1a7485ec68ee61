import type { GoogleGenAI } from '@google/genai';
import { ProviderError } from '../../ports/errors.js';
import type { ChatEvent, ChatModel, ChatRequest } from '../../ports/ports.js';
import type { ProviderCallOptions } from './provider-options.js';
import { geminiClient } from './gemini-client.js';
import { describeGeminiFailure } from './gemini-embedder.js';
import { withRetries } from './retry.js';

export interface GeminiChatOptions extends ProviderCallOptions {
  readonly apiKey: string;
  readonly baseUrl: string | undefined;
  /** Which variable chose this model, named in the error if the model does not exist. */
  readonly variable: string;
}

/** A Gemini API model (Gemini or Gemma 4) through @google/genai, streamed over SSE. */
export class GeminiChat implements ChatModel {
  readonly provider = 'gemini' as const;
  private readonly ai: GoogleGenAI;

  constructor(
    readonly model: string,
    private readonly options: GeminiChatOptions,
  ) {
    this.ai = geminiClient(options, {
          describe: ({ status, message }) => describeGeminiFailure(status, message, model, options.variable),
          classify: ({ status }) => (status === 404 ? 'model_unavailable' : undefined),
        });
  }

  async *stream(request: ChatRequest): AsyncIterable<ChatEvent> {
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    const contents = request.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
    const stream = await withRetries(
      'gemini chat',
      () =>
        this.ai.models.generateContentStream({
          model: this.model,
          contents,
          config: {
            ...(system ? { systemInstruction: system } : {}),
            temperature: request.temperature,
            topP: request.topP,
            maxOutputTokens: request.maxOutputTokens,
            ...(request.responseSchema ? { responseMimeType: 'application/json', responseJsonSchema: request.responseSchema } : {}),
            ...(request.signal ? { abortSignal: request.signal } : {}),
          },
        }),
      { maxRetries: this.options.maxRetries, clock: this.options.clock, logger: this.options.logger, signal: request.signal },
    );
    let usage: ChatEvent & { type: 'done' } = { type: 'done', usage: undefined };
    try {
      for await (const chunk of stream) {
        const text = chunk.text;
        if (text) yield { type: 'token', text };
        const meta = chunk.usageMetadata;
        if (meta) usage = { type: 'done', usage: { inputTokens: meta.promptTokenCount ?? 0, outputTokens: meta.candidatesTokenCount ?? 0 } };
      }
    } catch (error) {
      if (error instanceof ProviderError || request.signal?.aborted) throw error;
      throw new ProviderError('Gemini', 'The answer from Gemini was cut off. Try again.', { retryable: true, cause: error, detail: String(error) });
    }
    yield usage;
  }
}
