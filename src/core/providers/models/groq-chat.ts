import Groq, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'groq-sdk';
import { ProviderError, RateLimitError } from '../../ports/errors.js';
import type { ChatEvent, ChatModel, ChatRequest, ModelCatalog } from '../../ports/ports.js';
import type { ProviderCallOptions } from './provider-options.js';
import { parseDuration, parseRetryAfter } from './checked-fetch.js';
import { withRetries } from './retry.js';

export interface GroqOptions extends ProviderCallOptions {
  readonly apiKey: string;
  /** The host root (groq-sdk appends /openai/v1/...). */
  readonly baseUrl: string | undefined;
}

/** One groq-sdk client per configuration; the SDK's own retries are off (Docent retries itself). */
export function createGroqClient(options: GroqOptions): Groq {
  return new Groq({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
}

/** Groq's model list, to see whether it hosts a Gemma model at start-up. */
export class GroqCatalog implements ModelCatalog {
  constructor(private readonly client: Groq) {}

  async listModels(signal?: AbortSignal): Promise<string[]> {
    try {
      const page = await this.client.models.list(signal ? { signal } : undefined);
      return page.data.map((m) => m.id);
    } catch (error) {
      throw toProviderError(error, 'the model list');
    }
  }
}

/** A chat model on Groq through groq-sdk, streamed over SSE. */
export class GroqChat implements ChatModel {
  readonly provider = 'groq' as const;

  constructor(
    private readonly client: Groq,
    readonly model: string,
    private readonly options: Pick<GroqOptions, 'maxRetries' | 'clock' | 'logger'>,
  ) {}

  async *stream(request: ChatRequest): AsyncIterable<ChatEvent> {
    const stream = await withRetries(
      'groq chat',
      async () => {
        try {
          return await this.client.chat.completions.create(
            {
              model: this.model,
              messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
              temperature: request.temperature,
              top_p: request.topP,
              max_completion_tokens: request.maxOutputTokens,
              ...(request.responseSchema ? { response_format: { type: 'json_object' as const } } : {}),
              stream: true,
            },
            request.signal ? { signal: request.signal } : undefined,
          );
        } catch (error) {
          throw toProviderError(error, this.model);
        }
      },
      { maxRetries: this.options.maxRetries, clock: this.options.clock, logger: this.options.logger, signal: request.signal },
    );
    let usage: ChatEvent & { type: 'done' } = { type: 'done', usage: undefined };
    try {
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { type: 'token', text };
        const reported = chunk.x_groq?.usage ?? (chunk as { usage?: { prompt_tokens?: number; completion_tokens?: number } }).usage;
        if (reported) usage = { type: 'done', usage: { inputTokens: reported.prompt_tokens ?? 0, outputTokens: reported.completion_tokens ?? 0 } };
      }
    } catch (error) {
      throw toProviderError(error, this.model);
    }
    yield usage;
  }
}

function toProviderError(error: unknown, what: string): unknown {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError('Groq', 'Groq did not answer in time. Try again in a moment.', { retryable: true, cause: error, code: 'provider_timeout' });
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    return new ProviderError('Groq', 'Docent could not reach Groq. Check the network and GROQ_BASE_URL.', {
      retryable: true,
      cause: error,
      code: 'provider_unreachable',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  const body = (error.error ?? {}) as { error?: { message?: string; code?: string } };
  const code = body.error?.code;
  const message = body.error?.message ?? error.message;
  const headers = error.headers;
  const retryAfterMs =
    parseRetryAfter(headers?.get('retry-after') ?? null) ??
    maxOf(parseDuration(headers?.get('x-ratelimit-reset-requests') ?? null), parseDuration(headers?.get('x-ratelimit-reset-tokens') ?? null));
  if (error.status === 429) return new RateLimitError('Groq', retryAfterMs, error);
  if (code === 'model_decommissioned' || code === 'model_not_found' || error.status === 404) {
    return new ProviderError('Groq', `Groq no longer serves ${what}.`, { retryable: false, status: error.status, code: 'model_unavailable', cause: error, detail: message });
  }
  if (error.status === 401 || error.status === 403) {
    return new ProviderError('Groq', 'Groq rejected the API key. Check GROQ_API_KEY.', { retryable: false, status: error.status, cause: error, detail: message });
  }
  return new ProviderError('Groq', error.status >= 500 ? `Groq is having trouble right now (HTTP ${error.status}). Try again shortly.` : `Groq refused the request (HTTP ${error.status}): ${message}`, {
    retryable: error.status >= 500 || error.status === 408,
    status: error.status,
    retryAfterMs,
    cause: error,
    detail: message,
  });
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
