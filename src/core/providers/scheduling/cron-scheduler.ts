import cron from 'node-cron';
import type { Scheduler } from '../../ports/ports.js';

/**
 * node-cron ticks in the schedule's time zone (its daylight-saving rules are the ones cron.ts
 * follows, so a tick and the period Docent computes for it agree). Tasks are unref'd so a schedule never keeps the
 * process alive on its own; the digest service decides what a tick means (which period is due),
 * so a tick that arrives twice or late does no harm.
 */
export class CronScheduler implements Scheduler {
  schedule(expression: string, timezone: string, onTick: () => void): { stop(): void } {
    // node-cron drops a tick that fires over a second late (a busy event loop); Docent would
    // rather run it a little late, so the tolerance is a minute.
    const task = cron.schedule(expression, () => onTick(), { timezone, noOverlap: false, unref: true, missedExecutionTolerance: 60_000 });
    return {
      stop: () => {
        void task.destroy();
      },
    };
  }
}
