import cron from 'node-cron';
import type { Scheduler } from '../ports.js';

/**
 * node-cron ticks in the schedule's time zone. Tasks are unref'd so a schedule never keeps the
 * process alive on its own; the digest service decides what a tick means (which period is due),
 * so a tick that arrives twice or late does no harm.
 */
export class CronScheduler implements Scheduler {
  schedule(expression: string, timezone: string, onTick: () => void): { stop(): void } {
    const task = cron.schedule(expression, () => onTick(), { timezone, noOverlap: false, unref: true });
    return {
      stop: () => {
        void task.destroy();
      },
    };
  }
}
