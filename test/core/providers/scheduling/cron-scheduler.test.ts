import { afterEach, describe, expect, it, vi } from 'vitest';
import { CronScheduler } from '../../../../src/core/providers/scheduling/cron-scheduler.js';
import { occurrences } from '../../../../src/core/lib/cron-instants.js';

const HOUR = 3_600_000;

/** Runs a schedule on a fake clock from `start` for `hours`; returns the instants it ticked at. */
async function ticksOf(expression: string, timezone: string, start: string, hours: number): Promise<string[]> {
  vi.useFakeTimers({ now: new Date(start), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const ticks: string[] = [];
  const task = new CronScheduler().schedule(expression, timezone, () => ticks.push(new Date().toISOString()));
  await vi.advanceTimersByTimeAsync(hours * HOUR);
  task.stop();
  return ticks;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CronScheduler: ticks at the instants Docent computes', () => {
  it('ticks at each computed instant, across both daylight-saving changes', async () => {
    const rule = { expression: '30 2 * * *', timezone: 'Europe/Brussels' };
    const spring = await ticksOf(rule.expression, rule.timezone, '2027-03-27T01:00:00Z', 48);
    expect(spring).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
    expect(spring).toEqual(occurrences(rule, new Date('2027-03-27T01:00:00Z'), new Date('2027-03-29T01:00:00Z')).map((d) => d.toISOString()));
    const autumn = await ticksOf(rule.expression, rule.timezone, '2027-10-30T00:00:00Z', 26);
    expect(autumn).toEqual(['2027-10-30T00:30:00.000Z', '2027-10-31T01:30:00.000Z']);
  });

  it('a tick up to a minute late still fires; one later than that is dropped, and the next one comes', async () => {
    vi.useFakeTimers({ now: new Date('2027-05-03T08:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ticks: string[] = [];
    const task = new CronScheduler().schedule('0 9 * * *', 'UTC', () => ticks.push(new Date().toISOString()));
    await vi.advanceTimersByTimeAsync(HOUR - 10_000);
    vi.setSystemTime(new Date('2027-05-03T09:00:40Z')); // the event loop was busy: the timer comes 50 s late
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticks).toEqual(['2027-05-03T09:00:50.000Z']);
    await vi.advanceTimersByTimeAsync(24 * HOUR - 60_000);
    vi.setSystemTime(new Date('2027-05-04T09:05:00Z')); // the machine slept past the next instant
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ticks).toEqual(['2027-05-03T09:00:50.000Z']);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(ticks).toEqual(['2027-05-03T09:00:50.000Z', '2027-05-05T09:00:00.000Z']);
    task.stop();
  });

  it('stops ticking when stopped', async () => {
    vi.useFakeTimers({ now: new Date('2027-05-03T08:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const ticks: string[] = [];
    new CronScheduler().schedule('0 9 * * *', 'UTC', () => ticks.push(new Date().toISOString())).stop();
    await vi.advanceTimersByTimeAsync(48 * HOUR);
    expect(ticks).toEqual([]);
  });
});
