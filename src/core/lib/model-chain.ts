import { ProviderError } from '../ports/errors.js';
import type { ChatEvent, ChatModel, ChatRequest, Logger } from '../ports/ports.js';
import type { Limiter } from './limiter.js';

export type ChainEvent = ChatEvent | { readonly type: 'model'; readonly id: string };

export interface ChainOptions {
  readonly logger: Logger;
  /** One limiter per provider: at most N requests in flight, the rest queue. */
  readonly limiters: ReadonlyMap<string, Limiter>;
  /** Tell the user they are queued once they have waited this long. */
  readonly queueNoticeMs: number;
  /** Told when a model is found retired (the admin page lists these). */
  readonly onRetired?: (model: ChatModel, next: ChatModel | undefined, detail: string) => void;
}

export function modelId(model: ChatModel): string {
  return `${model.provider}:${model.model}`;
}

/**
 * The answer model and its fallbacks, in order. A model the provider has retired (Groq's
 * `model_decommissioned` / `model_not_found`, Gemini's 404) is skipped from then on, with one
 * warning, and the same request goes to the next model, so the user still gets an answer.
 */
export class ModelChain {
  private readonly retired = new Set<string>();

  constructor(
    readonly models: readonly ChatModel[],
    private readonly options: ChainOptions,
  ) {}

  get current(): ChatModel | undefined {
    return this.models.find((m) => !this.retired.has(modelId(m)));
  }

  async *stream(request: ChatRequest, onQueued?: () => void): AsyncIterable<ChainEvent> {
    for (const model of this.models) {
      const id = modelId(model);
      if (this.retired.has(id)) continue;
      const limiter = this.options.limiters.get(model.provider);
      const release = limiter ? await limiter.acquire(onQueued, this.options.queueNoticeMs) : () => undefined;
      let started = false;
      try {
        for await (const event of model.stream(request)) {
          if (!started) {
            started = true;
            yield { type: 'model', id };
          }
          yield event;
        }
        return;
      } catch (error) {
        if (started || !(error instanceof ProviderError) || error.code !== 'model_unavailable') throw error;
        this.retired.add(id);
        const next = this.current;
        this.options.onRetired?.(model, next, error.message);
        this.options.logger.warn(
          { model: id, next: next ? modelId(next) : null, detail: error.message },
          `${id} is no longer served by ${model.provider}; ${next ? `using ${modelId(next)} instead` : 'no fallback model is left'} (set ASK_MODEL / ASK_FALLBACK_MODELS)`,
        );
      } finally {
        release();
      }
    }
    throw new ProviderError('models', 'None of the configured answer models is available any more. Set ASK_MODEL or ASK_FALLBACK_MODELS to a current model.', {
      retryable: false,
      code: 'no_model_available',
    });
  }
}
