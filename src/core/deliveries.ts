import { DatabaseUnavailableError } from './ports/errors.js';
import type { DeliveryState } from './ports/state-store.js';


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
