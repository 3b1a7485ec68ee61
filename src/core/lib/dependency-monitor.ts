import type { Logger, ReachabilityWatch } from '../ports/ports.js';

export type DependencyState = 'ok' | 'down';

/** Whether a service Docent depends on answers, learned from the calls made to it. */
export interface DependencyMonitor extends ReachabilityWatch {
  readonly name: string;
  state(): DependencyState;
  /** Stops checking (at shutdown, before the service's client is closed). */
  stop(): void;
}

export interface DependencyMonitorOptions {
  /** The service, as the log lines name it ("PostgreSQL at db:5432/docent"). */
  readonly name: string;
  /** A light call that succeeds only when the service answers (SELECT 1, Qdrant's readiness). */
  readonly probe: () => Promise<unknown>;
  readonly logger: Logger;
  /** How often the service is checked while it is down. */
  readonly checkEveryMs: number;
  /** Runs `task` after `ms` and returns how to cancel it (tests drive it by hand). */
  readonly schedule?: (task: () => void, ms: number) => () => void;
  readonly now?: () => number;
}

const timer = (task: () => void, ms: number) => {
  const handle = setTimeout(task, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

/** The reason an error gives, for a log line: its message, or its code when it has no message. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}

/**
 * Says once when a service becomes unreachable (an error line) and once when it is back (an info
 * line), and what /healthz reports meanwhile. Nothing is checked while calls succeed: a call that
 * fails at the connection is confirmed with one probe (a single dropped connection is no outage),
 * and while the service is down the probe runs every `checkEveryMs` until it answers, or until a
 * call succeeds.
 */
export function createDependencyMonitor(options: DependencyMonitorOptions): DependencyMonitor {
  const schedule = options.schedule ?? timer;
  const now = options.now ?? Date.now;
  const seconds = Math.max(1, Math.round(options.checkEveryMs / 1000));
  let state: DependencyState = 'ok';
  let confirming = false;
  let downSince = 0;
  let cancel: (() => void) | undefined;
  let stopped = false;
  // Each outage has its own round of checks; a check from an outage that ended is ignored.
  let outage = 0;

  const recover = () => {
    if (state !== 'down') return;
    state = 'ok';
    cancel?.();
    cancel = undefined;
    const downForSeconds = Math.round((now() - downSince) / 1000);
    options.logger.info({ dependency: options.name, downForSeconds }, `${options.name} is reachable again (after ${downForSeconds} s)`);
  };

  const check = (round: number) => {
    cancel = undefined;
    if (stopped || state !== 'down' || round !== outage) return;
    options.probe().then(
      () => {
        if (round === outage) recover();
      },
      () => {
        if (!stopped && state === 'down' && round === outage) cancel = schedule(() => check(round), options.checkEveryMs);
      },
    );
  };

  const goDown = (error: unknown) => {
    if (stopped || state === 'down') return;
    state = 'down';
    downSince = now();
    const round = ++outage;
    options.logger.error({ dependency: options.name, reason: reasonOf(error) }, `${options.name} is unreachable (${reasonOf(error)}); checking again every ${seconds} s`);
    cancel = schedule(() => check(round), options.checkEveryMs);
  };

  return {
    name: options.name,
    state: () => state,
    failed(error) {
      if (stopped || state === 'down' || confirming) return;
      confirming = true;
      options.probe().then(
        () => {
          confirming = false;
          options.logger.debug({ dependency: options.name, reason: reasonOf(error) }, `a call to ${options.name} failed at the connection, but it answers`);
        },
        (probeError: unknown) => {
          confirming = false;
          goDown(probeError);
        },
      );
    },
    succeeded() {
      if (state === 'down') recover();
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
    },
  };
}
