import { ProviderError } from '../../ports/errors.js';
import type { Clock, Logger } from '../../ports/ports.js';

export interface RetryOptions {
  readonly maxRetries: number;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  /** First backoff step; doubles each attempt, with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A provider asking us to wait longer than this gets a failure now rather than a stalled user. */
  readonly maxRetryAfterMs?: number;
  readonly random?: () => number;
}

/**
 * Retries retryable provider failures with exponential backoff and full jitter. A server's
 * retry-after is honoured as the minimum wait; a wait longer than `maxRetryAfterMs` is not
 * attempted. Non-retryable errors are thrown at once.
 */
export async function withRetries<T>(operation: string, task: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 20_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || attempt >= options.maxRetries) throw error;
      if (options.signal?.aborted) throw error;
      const backoff = Math.round(random() * Math.min(cap, base * 2 ** attempt));
      const wait = Math.max(backoff, error.retryAfterMs ?? 0);
      if (wait > maxRetryAfter) throw error;
      options.logger?.warn(
        { operation, provider: error.provider, status: error.status, attempt: attempt + 1, waitMs: wait },
        'provider call failed; retrying',
      );
      await options.clock.sleep(wait, options.signal);
    }
  }
}
