import { BadInputError } from '../ports/errors.js';
import { isTimeZone } from '../lib/time-zone.js';

/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) evaluated in an IANA
 * time zone, and the friendlier forms people type ("weekdays 09:00"). Docent computes the
 * instants itself so every run has a stable key (the scheduled instant) whatever the trigger.
 *
 * Daylight-saving rules, the same as node-cron's (which ticks in production, so the two always
 * agree): a wall time that does not exist that day (skipped in spring) does not run that day; a
 * wall time that happens twice (autumn) runs once, at its second occurrence.
 */
export interface CronSchedule {
  /** The normalised five-field expression. */
  readonly expression: string;
  readonly timezone: string;
  /** In words: "weekdays at 09:00". */
  readonly description: string;
}

interface Fields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
}

const EXAMPLES = 'daily 09:00, weekdays 09:00, weekly mon 09:00, or a cron expression such as "0 9 * * 1-5"';
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Reads what someone typed after `when:` into a schedule, or says precisely what is wrong. */
export function parseWhen(when: string, zone: string): CronSchedule {
  let timezone = zone;
  if (!isTimeZone(timezone)) {
    throw new BadInputError('bad_timezone', `“${timezone}” is not a time zone Docent knows. Use an IANA name such as Europe/Brussels, America/New_York or UTC.`);
  }
  // "europe/brussels" → "Europe/Brussels": stored and shown as the zone's own name.
  timezone = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  const text = when.trim().toLowerCase().replace(/\s+/g, ' ');
  const friendly = /^(daily|every day|weekdays|weekly (\w+)|every (\w+)) (?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)?$/.exec(text);
  if (friendly) {
    const [, kind, weeklyDay, everyDay, h, m, ampm] = friendly;
    let hour = Number(h);
    const minute = m === undefined ? 0 : Number(m);
    if (ampm) {
      if (hour < 1 || hour > 12) throw bad(when, `${h}${ampm} is not a time`);
      hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
    }
    if (hour > 23 || minute > 59) throw bad(when, `${h}:${m ?? '00'} is not a time of day`);
    const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    if (kind === 'daily' || kind === 'every day') return { expression: `${minute} ${hour} * * *`, timezone, description: `every day at ${time}` };
    if (kind === 'weekdays') return { expression: `${minute} ${hour} * * 1-5`, timezone, description: `weekdays at ${time}` };
    const dayWord = weeklyDay ?? everyDay ?? '';
    const day = DAY_NAMES.findIndex((d) => dayWord.startsWith(d) && FULL_DAYS[DAY_NAMES.indexOf(d)].startsWith(dayWord));
    if (day < 0) throw bad(when, `“${dayWord}” is not a day of the week (mon, tue, … sun)`);
    return { expression: `${minute} ${hour} * * ${day}`, timezone, description: `every ${FULL_DAYS[day][0].toUpperCase()}${FULL_DAYS[day].slice(1)} at ${time}` };
  }
  const parts = text.split(' ');
  if (parts.length !== 5) {
    if (/^[\d*]/.test(text)) throw bad(when, `a cron expression has 5 fields (minute hour day month weekday), this one has ${parts.length}`);
    throw bad(when, 'Docent does not understand it');
  }
  compile(parts, when);
  const schedule = { expression: parts.join(' '), timezone, description: describeCron(parts) };
  // A full 28-year calendar cycle: a day-of-month and weekday combination that exists shows up.
  const [a, b] = occurrences(schedule, new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2058, 0, 1)), 2);
  if (!a) throw bad(when, 'it never runs');
  if (b && b.getTime() - a.getTime() < 3_600_000) throw bad(when, 'a digest runs at most once an hour');
  return schedule;
}

/** Simple expressions in words ("weekdays at 09:00"); others as they are written. */
function describeCron(parts: readonly string[]): string {
  const [minute = '', hour = '', day = '', month = '', weekday = ''] = parts;
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour) || day !== '*' || month !== '*') return `cron “${parts.join(' ')}”`;
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  if (weekday === '*') return `every day at ${time}`;
  if (weekday === '1-5' || weekday === 'mon-fri') return `weekdays at ${time}`;
  const single = /^\d$/.test(weekday) ? Number(weekday) % 7 : DAY_NAMES.indexOf(weekday);
  if (single >= 0) return `every ${FULL_DAYS[single][0].toUpperCase()}${FULL_DAYS[single].slice(1)} at ${time}`;
  return `cron “${parts.join(' ')}”`;
}

function bad(when: string, reason: string): BadInputError {
  return new BadInputError('bad_schedule', `“${when}” is not a schedule: ${reason}. Try ${EXAMPLES}.`);
}

function compile(parts: readonly string[], original: string): Fields {
  const [minute = '', hour = '', day = '', month = '', weekday = ''] = parts;
  return {
    minutes: field(minute, 0, 59, 'minute', [], original),
    hours: field(hour, 0, 23, 'hour', [], original),
    days: field(day, 1, 31, 'day of the month', [], original),
    months: field(month, 1, 12, 'month', MONTH_NAMES, original, 1),
    weekdays: new Set([...field(weekday, 0, 7, 'day of the week', DAY_NAMES, original)].map((d) => d % 7)),
  };
}

function field(text: string, min: number, max: number, name: string, names: readonly string[], original: string, nameBase = 0): Set<number> {
  const values = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.slice(0, 3));
    const n = named >= 0 && /^[a-z]+$/.test(token) ? named + nameBase : /^\d+$/.test(token) ? Number(token) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw bad(original, `“${token}” is not a valid ${name} (${min}–${max})`);
    return n;
  };
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad(original, `“${item}” has an invalid step`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [value(a), value(b)];
      if (from > to) throw bad(original, `“${range}” runs backwards`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timezone: string): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const parts = formatter(timezone).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const year = Number(get('year'));
  const month = Number(get('month'));
  const day = Number(get('day'));
  return { year, month, day, hour: Number(get('hour')) % 24, minute: Number(get('minute')), weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timezone, f);
  }
  return f;
}

/** Offset of the zone from UTC at an instant, in minutes. */
function offsetMinutes(instant: number, timezone: string): number {
  const w = wallClock(instant, timezone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/**
 * The instant at which the zone's clock shows this wall time: the later one when it shows it
 * twice (autumn), none when the clock skips it (spring).
 */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timezone: string): number | undefined {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const candidates = new Set<number>();
  for (const probe of [naive - 14 * 3_600_000, naive, naive + 14 * 3_600_000]) candidates.add(naive - offsetMinutes(probe, timezone) * 60_000);
  const exact = [...candidates].filter((t) => {
    const w = wallClock(t, timezone);
    return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
  });
  return exact.length > 0 ? Math.max(...exact) : undefined;
}

/** node-cron's rule (unlike Vixie cron's "either"): with both day fields restricted, both must match. */
function dayMatches(f: Fields, day: number, month: number, weekday: number): boolean {
  return f.months.has(month) && f.days.has(day) && f.weekdays.has(weekday);
}

/** Scheduled instants in (after, until], oldest first, at most `limit`. */
export function occurrences(schedule: CronSchedule, after: Date, until: Date, limit = 1000): Date[] {
  const f = compile(schedule.expression.split(' '), schedule.expression);
  const result: Date[] = [];
  const start = wallClock(after.getTime(), schedule.timezone);
  // Walk calendar days in the zone (a day before the start covers offsets), then times in the day.
  let cursor = Date.UTC(start.year, start.month - 1, start.day) - 86_400_000;
  const end = until.getTime();
  const hours = [...f.hours].sort((a, b) => a - b);
  const minutes = [...f.minutes].sort((a, b) => a - b);
  while (result.length < limit && cursor <= end + 2 * 86_400_000) {
    const d = new Date(cursor);
    const [year, month, day, weekday] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay()];
    if (dayMatches(f, day, month, weekday)) {
      const seen = new Set<number>();
      for (const hour of hours) {
        for (const minute of minutes) {
          const t = instantOf(year, month, day, hour, minute, schedule.timezone);
          if (t === undefined || seen.has(t)) continue;
          seen.add(t);
          if (t > after.getTime() && t <= end) result.push(new Date(t));
        }
      }
    }
    cursor += 86_400_000;
  }
  return result.sort((a, b) => a.getTime() - b.getTime()).slice(0, limit);
}

/** The next scheduled instant strictly after `after` (looks up to about five years ahead). */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date | undefined {
  let from = after;
  for (let year = 0; year < 5; year++) {
    const until = new Date(from.getTime() + 366 * 86_400_000);
    const [first] = occurrences(schedule, from, until, 1);
    if (first) return first;
    from = until;
  }
  return undefined;
}

/** The latest scheduled instant at or before `at`, looking back at most `lookbackDays`. */
export function previousOccurrence(schedule: CronSchedule, at: Date, lookbackDays = 400): Date | undefined {
  for (let span = 8; ; span *= 4) {
    const days = Math.min(span, lookbackDays);
    const found = occurrences(schedule, new Date(at.getTime() - days * 86_400_000), at, 100_000);
    if (found.length > 0) return found[found.length - 1];
    if (days >= lookbackDays) return undefined;
  }
}
