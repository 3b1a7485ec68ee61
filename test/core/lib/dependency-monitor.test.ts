import { describe, expect, it } from 'vitest';
import { createDependencyMonitor } from '../../../src/core/lib/dependency-monitor.js';
import { memoryLogger } from '../../helpers/core.js';

/** A monitor whose checks run when the test says, against a service the test switches on and off. */
function rig() {
  const logger = memoryLogger();
  const pending: { task: () => void; ms: number; cancelled: boolean }[] = [];
  let up = true;
  let probes = 0;
  let clock = 0;
  const monitor = createDependencyMonitor({
    name: 'PostgreSQL at db:5432/docent',
    probe: async () => {
      probes++;
      if (!up) throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    },
    logger,
    checkEveryMs: 5_000,
    now: () => clock,
    schedule: (task, ms) => {
      const entry = { task, ms, cancelled: false };
      pending.push(entry);
      return () => (entry.cancelled = true);
    },
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    monitor,
    logger,
    set: (answers: boolean) => (up = answers),
    probes: () => probes,
    advance: (ms: number) => (clock += ms),
    /** Runs the checks due now (the timer would have fired); how many ran. */
    async tick() {
      const due = pending.splice(0).filter((p) => !p.cancelled);
      for (const p of due) p.task();
      await settle();
      return due.length;
    },
    settle,
    lines: (level: string) => logger.entries.filter((e) => e.level === level).map((e) => e.msg),
  };
}

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('dependency monitor', () => {
  it('checks nothing while calls succeed', async () => {
    const r = rig();
    for (let i = 0; i < 100; i++) r.monitor.succeeded();
    await r.settle();
    expect(r.probes()).toBe(0);
    expect(r.monitor.state()).toBe('ok');
    expect(await r.tick()).toBe(0);
  });

  it('a failed call confirmed by a failed probe is an outage, said once; checks repeat until one answers, said once', async () => {
    const r = rig();
    r.set(false);
    r.monitor.failed(refused);
    await r.settle();
    expect(r.monitor.state()).toBe('down');
    expect(r.lines('error')).toEqual(['PostgreSQL at db:5432/docent is unreachable (connect ECONNREFUSED 10.0.0.5:5432); checking again every 5 s']);
    // More failures while down add no line and no extra probe.
    for (let i = 0; i < 20; i++) r.monitor.failed(refused);
    await r.settle();
    expect(r.probes()).toBe(1);
    // Checks while it stays down: one per interval, silent.
    expect(await r.tick()).toBe(1);
    expect(await r.tick()).toBe(1);
    expect(r.probes()).toBe(3);
    expect(r.lines('error')).toHaveLength(1);
    r.set(true);
    r.advance(42_000);
    await r.tick();
    expect(r.monitor.state()).toBe('ok');
    expect(r.lines('info')).toEqual(['PostgreSQL at db:5432/docent is reachable again (after 42 s)']);
    // Back up: no more checks are scheduled.
    expect(await r.tick()).toBe(0);
  });

  it('one dropped connection whose probe answers is no outage', async () => {
    const r = rig();
    r.monitor.failed(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    await r.settle();
    expect(r.monitor.state()).toBe('ok');
    expect(r.lines('error')).toEqual([]);
    expect(r.lines('info')).toEqual([]);
    expect(await r.tick()).toBe(0);
  });

  it('a call that succeeds during an outage ends it at once, and the pending check is dropped', async () => {
    const r = rig();
    r.set(false);
    r.monitor.failed(refused);
    await r.settle();
    expect(r.monitor.state()).toBe('down');
    r.set(true);
    r.monitor.succeeded();
    expect(r.monitor.state()).toBe('ok');
    expect(r.lines('info')).toEqual(['PostgreSQL at db:5432/docent is reachable again (after 0 s)']);
    expect(await r.tick()).toBe(0);
    // A second outage is said again.
    r.set(false);
    r.monitor.failed(refused);
    await r.settle();
    expect(r.lines('error')).toHaveLength(2);
  });

  it('stops checking once stopped (at shutdown)', async () => {
    const r = rig();
    r.set(false);
    r.monitor.failed(refused);
    await r.settle();
    r.monitor.stop();
    expect(await r.tick()).toBe(0);
    r.monitor.failed(refused);
    await r.settle();
    expect(r.probes()).toBe(1);
  });
});
