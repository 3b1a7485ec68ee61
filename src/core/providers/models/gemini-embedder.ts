import { GoogleGenAI } from '@google/genai';
import { ProviderError } from '../../ports/errors.js';
import type { Embedder } from '../../ports/ports.js';
import type { ProviderCallOptions } from './provider-options.js';
import { createLimiter, type Limiter } from '../../lib/limiter.js';
import { createCheckedFetch } from './checked-fetch.js';
import { withRetries } from './retry.js';

export interface GeminiEmbedderOptions extends ProviderCallOptions {
  readonly apiKey: string;
  readonly baseUrl: string | undefined;
  readonly model: string;
  readonly dimensions: number;
  /** At most 100: the Gemini API refuses larger batches. */
  readonly batchSize: number;
  readonly concurrency: number;
}

/**
 * Dense vectors from the Gemini API (gemini-embedding-001 by default) through @google/genai:
 * batches of at most 100 texts, bounded concurrency, retries that honour the server's wait,
 * and unit-length vectors (the API only normalises its full 3,072-dimension output).
 */
export class GeminiEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly ai: GoogleGenAI;
  private readonly limiter: Limiter;

  constructor(private readonly options: GeminiEmbedderOptions) {
    this.model = options.model;
    this.dimensions = options.dimensions;
    this.limiter = createLimiter(options.concurrency);
    this.ai = new GoogleGenAI({
      apiKey: options.apiKey,
      httpOptions: {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        timeout: options.timeoutMs,
        fetch: createCheckedFetch('Gemini', { describe: ({ status, message }) => describeGeminiFailure(status, message, options.model, 'EMBEDDING_MODEL') }),
      },
    });
  }

  async embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const batches: string[][] = [];
    const size = Math.min(100, this.options.batchSize);
    for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size));
    const results = await Promise.all(
      batches.map((batch) => this.limiter.run(() => this.embedBatch(batch, 'RETRIEVAL_DOCUMENT', signal))),
    );
    return results.flat();
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.limiter.run(() => this.embedBatch([text], 'RETRIEVAL_QUERY', signal));
    if (vector === undefined) throw new ProviderError('Gemini', 'Gemini returned no embedding for the question.', { retryable: false });
    return vector;
  }

  private embedBatch(texts: string[], taskType: 'RETRIEVAL_DOCUMENT' | 'RETRIEVAL_QUERY', signal?: AbortSignal): Promise<Float32Array[]> {
    return withRetries(
      'embed',
      async () => {
        const response = await this.ai.models.embedContent({
          model: this.model,
          contents: texts,
          config: {
            taskType,
            outputDimensionality: this.dimensions,
            ...(signal ? { abortSignal: signal } : {}),
          },
        });
        const embeddings = response.embeddings ?? [];
        if (embeddings.length !== texts.length) {
          throw new ProviderError('Gemini', `Gemini returned ${embeddings.length} embeddings for ${texts.length} texts.`, {
            retryable: true,
          });
        }
        return embeddings.map((embedding) => {
          const values = embedding.values ?? [];
          if (values.length !== this.dimensions) {
            throw new ProviderError(
              'Gemini',
              `Gemini returned ${values.length}-dimensional embeddings but EMBEDDING_DIMENSIONS is ${this.dimensions}.`,
              { retryable: false, code: 'embedding_dimensions' },
            );
          }
          return normalise(values);
        });
      },
      { maxRetries: this.options.maxRetries, clock: this.options.clock, logger: this.options.logger, signal },
    );
  }
}

export function normalise(values: readonly number[]): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm);
  const out = new Float32Array(values.length);
  if (norm === 0) return out;
  for (let i = 0; i < values.length; i++) out[i] = values[i] / norm;
  return out;
}

export function describeGeminiFailure(status: number, message: string, model: string, variable: string): string {
  if (status === 400 && /api key/i.test(message)) return 'Gemini rejected the API key. Check GEMINI_API_KEY.';
  if (status === 401 || status === 403) return 'Gemini rejected the API key or it lacks access. Check GEMINI_API_KEY.';
  if (status === 404) return `Gemini has no model "${model}". Check ${variable}.`;
  if (status >= 500) return `Gemini is having trouble right now (HTTP ${status}). Try again shortly.`;
  return `Gemini refused the request (HTTP ${status}): ${message}`;
}
