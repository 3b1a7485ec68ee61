import { isDocentError } from '../core/ports/errors.js';
import type { Logger } from '../core/ports/ports.js';

/**
 * Keeps something about a result that has already been computed: when the store cannot (it is
 * unreachable, or refuses the write) the result is still delivered, and the failure logged once.
 */
export async function kept<T>(logger: Logger, what: string, save: () => Promise<T>): Promise<T | undefined> {
  try {
    return await save();
  } catch (error) {
    logger.warn({ err: error, code: isDocentError(error) ? error.code : undefined }, `could not keep ${what}; the reply is delivered without it`);
    return undefined;
  }
}
