import { BadInputError } from '../ports/errors.js';
import { occurrences } from '../lib/cron-instants.js';
import { isTimeZone } from '../lib/time-zone.js';

export { nextOccurrence, occurrences, previousOccurrence } from '../lib/cron-instants.js';

/**
 * Reads schedules: five-field cron expressions (minute hour day-of-month month day-of-week) in an
 * IANA time zone, and the friendlier forms people type ("weekdays 09:00"). When they run, daylight
 * saving included, is ../lib/cron-instants.ts's (croner's instants, Docent's rules), so every run
 * has a stable key (the scheduled instant) whatever the trigger.
 */
export interface CronSchedule {
  /** The normalised five-field expression. */
  readonly expression: string;
  readonly timezone: string;
  /** In words: "weekdays at 09:00". */
  readonly description: string;
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
  validate(parts, when);
  const schedule = { expression: parts.join(' '), timezone, description: describeCron(parts) };
  const [a, b] = firstRuns(schedule, when);
  if (!a) throw bad(when, 'it never runs');
  if (b && b.getTime() - a.getTime() < 3_600_000) throw bad(when, 'a digest runs at most once an hour');
  return schedule;
}

/** The first two runs in a full 28-year calendar cycle: a day-of-month and weekday combination that exists shows up. */
function firstRuns(schedule: CronSchedule, when: string): Date[] {
  try {
    return occurrences(schedule, new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2058, 0, 1)), 2);
  } catch {
    // croner refuses the few forms the field checks let through ("1/2/3", a step longer than the field).
    throw bad(when, 'Docent does not understand it');
  }
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

/** Says precisely what is wrong with a field; which instants the expression means is cron-instants.ts's. */
function validate(parts: readonly string[], original: string): void {
  const [minute = '', hour = '', day = '', month = '', weekday = ''] = parts;
  field(minute, 0, 59, 'minute', [], original);
  field(hour, 0, 23, 'hour', [], original);
  field(day, 1, 31, 'day of the month', [], original);
  field(month, 1, 12, 'month', MONTH_NAMES, original, 1);
  field(weekday, 0, 7, 'day of the week', DAY_NAMES, original);
}

function field(text: string, min: number, max: number, name: string, names: readonly string[], original: string, nameBase = 0): void {
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
    if (range === '*') continue;
    if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      if (value(a) > value(b)) throw bad(original, `“${range}” runs backwards`);
    } else value(range);
  }
}
