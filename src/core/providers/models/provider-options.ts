import type { Clock, Logger } from '../../ports/ports.js';

/** What every model provider call needs: a time limit, a retry budget, a clock to wait on, a logger. */
export interface ProviderCallOptions {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly clock: Clock;
  readonly logger: Logger;
}
