import { DatabaseUnavailableError } from './errors.js';
import type { DeliveryState } from './state.js';

/** How long a delivery id is remembered: Slack retries within minutes, Discord never re-sends after a day. */
export const DELIVERY_MEMORY_MS = 24 * 3600_000;
/** Old ids are pruned once every this many deliveries. */
export const PRUNE_EVERY = 500;

/** Deliveries from the platforms, each taken on once, across restarts and replicas. */
export interface Deliveries {
  /** True the first time `id` arrives from `source` (e.g. `slack:event`, `discord:interaction`). */
  first(source: string, id: string): Promise<boolean>;
}

/**
 * While the database is unreachable no delivery can be recorded: each is taken on (a platform's
 * rare retry may then run twice), so that the person gets Docent's "can't reach its database"
 * answer from the command runner instead of silence.
 */
export function createDeliveries(state: DeliveryState, now: () => Date): Deliveries {
  return {
    async first(source, id) {
      try {
        return await state.first(source, id, now());
      } catch (error) {
        if (error instanceof DatabaseUnavailableError) return true;
        throw error;
      }
    },
  };
}
