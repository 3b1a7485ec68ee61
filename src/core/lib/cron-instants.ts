import { Cron, CronDate } from 'croner';

/**
 * When a five-field cron expression (minute hour day-of-month month day-of-week) runs in an IANA
 * time zone. croner computes the instants; this file is the one place Docent's daylight-saving
 * rules live, as a filter over croner's instants (croner follows Vixie cron here, Docent does not):
 * - a wall time the clock skips in spring does not run that day (croner runs it just after the gap);
 * - a wall time the clock shows twice in autumn runs once, at its second occurrence (croner runs a
 *   single time at the first occurrence, and a list, range or step at both).
 * The digests' scheduler ticks at these instants and their runs are keyed by them, so the two agree.
 */
export interface CronRule {
  readonly expression: string;
  readonly timezone: string;
}

/** Longer than any daylight-saving change (Antarctica/Troll moves its clock by two hours). */
const MAX_SHIFT_MS = 3 * 3_600_000;
const DAY_MS = 86_400_000;

function engine(rule: CronRule): Cron {
  // Docent reads a day or month name by its first three letters ("monday"); croner wants only those.
  const pattern = rule.expression.replace(/[a-z]+/gi, (name) => name.slice(0, 3));
  // domAndDow: with both day fields restricted, both must match (not Vixie cron's "either").
  return new Cron(pattern, { timezone: rule.timezone, mode: '5-part', domAndDow: true, sloppyRanges: true });
}

/** The zone's clock reading at an instant, as milliseconds since the epoch read as UTC. */
function wallClock(at: number, timezone: string): number {
  const w = new CronDate(new Date(at), timezone);
  return Date.UTC(w.year, w.month, w.day, w.hour, w.minute);
}

/** Docent's instant for one of croner's runs: the later one of a repeated wall time, none for a skipped one. */
function docentInstant(cron: Cron, run: Date, timezone: string): number | undefined {
  if (!cron.match(run)) return undefined; // croner's stand-in, after the gap, for a wall time the clock skipped
  const t = run.getTime();
  const wall = wallClock(t, timezone);
  const back = wall + MAX_SHIFT_MS - wallClock(t + MAX_SHIFT_MS, timezone); // how far the clock is set back soon after
  return back > 0 && wallClock(t + back, timezone) === wall ? t + back : t;
}

/** Scheduled instants in (after, until], oldest first, at most `limit`. */
export function occurrences(rule: CronRule, after: Date, until: Date, limit = 1000): Date[] {
  const cron = engine(rule);
  const found = new Set<number>();
  let latest = -Infinity;
  // Starts early enough to see a run whose second occurrence falls after `after`.
  for (let run = cron.nextRun(new Date(after.getTime() - MAX_SHIFT_MS)); run && run <= until; run = cron.nextRun(run)) {
    // An instant is never before its run, so once `limit` are found before this run, they are the first.
    if (found.size >= limit && run.getTime() > latest) break;
    const at = docentInstant(cron, run, rule.timezone);
    if (at === undefined || at <= after.getTime() || at > until.getTime()) continue;
    found.add(at);
    latest = Math.max(latest, at);
  }
  return [...found]
    .sort((a, b) => a - b)
    .slice(0, limit)
    .map((t) => new Date(t));
}

/** The next scheduled instant strictly after `after` (looks up to about five years ahead). */
export function nextOccurrence(rule: CronRule, after: Date): Date | undefined {
  return occurrences(rule, after, new Date(after.getTime() + 5 * 366 * DAY_MS), 1)[0];
}

/** The latest scheduled instant at or before `at`, looking back at most `lookbackDays`. */
export function previousOccurrence(rule: CronRule, at: Date, lookbackDays = 400): Date | undefined {
  const cron = engine(rule);
  const since = at.getTime() - lookbackDays * DAY_MS;
  let latest = -Infinity;
  // Walks back from a little after `at`: an instant is never before its run, nor over MAX_SHIFT_MS after it.
  for (let [run] = cron.previousRuns(1, new Date(at.getTime() + MAX_SHIFT_MS)); run && run.getTime() + MAX_SHIFT_MS > Math.max(since, latest); [run] = cron.previousRuns(1, run)) {
    const t = docentInstant(cron, run, rule.timezone);
    if (t !== undefined && t <= at.getTime() && t > since) latest = Math.max(latest, t);
  }
  return latest > since ? new Date(latest) : undefined;
}
