import { Cron } from 'croner';
import type { Scheduler } from '../../ports/ports.js';
import { nextOccurrence } from '../../lib/cron-instants.js';

/** A tick this late still fires (a busy event loop); a later one is dropped, as the next is near. */
const TOLERANCE_MS = 60_000;

/**
 * Ticks at the instants cron-instants.ts computes (the ones the digest service keys its runs by,
 * daylight saving included): one croner job at the next instant, armed again at each tick. Jobs are
 * unref'd so a schedule never keeps the process alive on its own; the digest service decides what a
 * tick means (which period is due), so a tick that arrives twice or late does no harm.
 */
export class CronScheduler implements Scheduler {
  schedule(expression: string, timezone: string, onTick: () => void): { stop(): void } {
    let job: Cron | undefined;
    let stopped = false;
    const arm = (after: Date) => {
      const at = nextOccurrence({ expression, timezone }, after);
      if (!at || stopped) return;
      // allowPast: an instant croner's timer reaches a moment late still runs.
      job = new Cron(at, { unref: true, allowPast: true }, () => {
        const late = Date.now() - at.getTime() > TOLERANCE_MS;
        arm(new Date(Math.max(at.getTime(), Date.now() - TOLERANCE_MS)));
        if (!late) onTick();
      });
    };
    arm(new Date());
    return {
      stop: () => {
        stopped = true;
        job?.stop();
      },
    };
  }
}
