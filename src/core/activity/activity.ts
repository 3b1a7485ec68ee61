import { AsyncLocalStorage } from 'node:async_hooks';
import { isDocentError } from '../ports/errors.js';
import type { Logger } from '../ports/ports.js';
import type { ActivityEvent, ActivityState } from '../ports/state-store.js';

/** How long provider calls, ingest outcomes and model events are kept for the admin page. */
export const ACTIVITY_KEEP_MS = 90 * 24 * 3600_000;
/** Old rows are pruned at most this often per process. */
const PRUNE_EVERY_MS = 3600_000;

export type ActivityInput = Omit<ActivityEvent, 'at' | 'tenant'> & { readonly tenant?: string };

/**
 * What Docent did, kept for the admin page: provider calls with their latency and errors, ingest
 * outcomes with the reasons for refusals, model retirements. Recording never fails a request
 * (a store error is logged). The channel a call was made for comes from `within`, so provider
 * wrappers need not be told it.
 */
export interface Activity {
  record(event: ActivityInput): void;
  /** Runs `work` with `tenant` as the channel its provider calls are recorded for. */
  within<T>(tenant: string, work: () => T): T;
  /** The channel of the work running now ('' outside any). */
  tenant(): string;
  /** Resolves once every record started so far is stored (tests, shutdown). */
  flush(): Promise<void>;
}

export function createActivity(state: ActivityState, now: () => Date, logger: Logger): Activity {
  const current = new AsyncLocalStorage<string>();
  const pending = new Set<Promise<void>>();
  let prunedAt = 0;
  const tenant = () => current.getStore() ?? '';

  const store = async (event: ActivityEvent) => {
    await state.add(event);
    const at = event.at.getTime();
    if (at - prunedAt >= PRUNE_EVERY_MS) {
      prunedAt = at;
      await state.prune(new Date(at - ACTIVITY_KEEP_MS));
    }
  };

  return {
    record(input) {
      const event: ActivityEvent = { ...input, tenant: input.tenant ?? tenant(), at: now(), detail: input.detail?.slice(0, 500) };
      const saving = store(event).catch((error: unknown) => logger.warn({ err: error, kind: event.kind }, 'could not record activity for the admin page'));
      pending.add(saving);
      void saving.finally(() => pending.delete(saving));
    },
    within: (key, work) => current.run(key, work),
    tenant,
    async flush() {
      await Promise.all([...pending]);
    },
  };
}

/** An error in the words shown to admins: the user-facing message for Docent's errors, else the message. */
export function describeFailure(error: unknown): string {
  if (isDocentError(error)) return error.userMessage;
  return error instanceof Error ? error.message : String(error);
}

/** The code of a Docent error ('error' for anything else). */
export function failureCode(error: unknown): string {
  return isDocentError(error) ? error.code : 'error';
}
