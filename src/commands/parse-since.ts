import { BadInputError } from '../core/ports/errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30m", "2h", "3d", "1w", or a date ("2024-05-01", ISO 8601) → the moment it names. */
export function parseSince(value: string, now: Date): Date {
  const text = value.trim().toLowerCase();
  const relative = /^(\d+(?:\.\d+)?)\s*(m|min|minutes?|h|hours?|d|days?|w|weeks?)$/.exec(text);
  if (relative) {
    const unit = relative[2][0];
    return new Date(now.getTime() - Number(relative[1]) * UNITS[unit]);
  }
  const date = new Date(value.trim());
  if (!Number.isNaN(date.getTime()) && /\d{4}-\d{2}-\d{2}/.test(value)) {
    if (date > now) throw new BadInputError('bad_option', `“${value}” is in the future. Use a past date or a duration like 2h, 3d or 1w.`);
    return date;
  }
  throw new BadInputError('bad_option', `“${value}” is not a time. Use a duration like 30m, 2h, 3d or 1w, or a date like 2024-05-01.`);
}
