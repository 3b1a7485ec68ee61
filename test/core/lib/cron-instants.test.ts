import { describe, expect, it } from 'vitest';
import { nextOccurrence, occurrences, previousOccurrence, type CronRule } from '../../../src/core/lib/cron-instants.js';

const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString());
const between = (rule: CronRule, after: string, until: string) => iso(occurrences(rule, new Date(after), new Date(until)));

describe('cron instants: croner’s, with Docent’s daylight-saving rules', () => {
  it('a list or range runs a repeated wall time once, at the second occurrence (croner runs both)', () => {
    const early = { expression: '0 1-3 * * *', timezone: 'Europe/Brussels' };
    expect(between(early, '2027-10-30T22:00:00Z', '2027-10-31T04:00:00Z')).toEqual(['2027-10-30T23:00:00.000Z', '2027-10-31T01:00:00.000Z', '2027-10-31T02:00:00.000Z']);
    expect(between({ expression: '0 2,14 * * *', timezone: 'Europe/Brussels' }, '2027-10-30T22:00:00Z', '2027-10-31T14:00:00Z')).toEqual(['2027-10-31T01:00:00.000Z', '2027-10-31T13:00:00.000Z']);
    expect(between(early, '2027-03-27T22:00:00Z', '2027-03-28T04:00:00Z')).toEqual(['2027-03-28T00:00:00.000Z', '2027-03-28T01:00:00.000Z']);
  });

  it('follows half-hour changes (Lord Howe) and changes at midnight (Santiago)', () => {
    expect(between({ expression: '45 1 * * *', timezone: 'Australia/Lord_Howe' }, '2027-04-03T00:00:00Z', '2027-04-05T00:00:00Z')).toEqual(['2027-04-03T15:15:00.000Z', '2027-04-04T15:15:00.000Z']);
    expect(between({ expression: '15 2 * * *', timezone: 'Australia/Lord_Howe' }, '2027-10-01T00:00:00Z', '2027-10-04T00:00:00Z')).toEqual(['2027-10-01T15:45:00.000Z', '2027-10-03T15:15:00.000Z']);
    expect(between({ expression: '30 23 * * *', timezone: 'America/Santiago' }, '2027-04-02T00:00:00Z', '2027-04-05T00:00:00Z')).toEqual(['2027-04-02T02:30:00.000Z', '2027-04-03T02:30:00.000Z', '2027-04-04T03:30:00.000Z']);
    expect(between({ expression: '30 0 * * *', timezone: 'America/Santiago' }, '2027-09-03T00:00:00Z', '2027-09-07T00:00:00Z')).toEqual(['2027-09-03T04:30:00.000Z', '2027-09-04T04:30:00.000Z', '2027-09-06T03:30:00.000Z']);
  });

  it('between the two occurrences of a repeated wall time, its run is still ahead', () => {
    const night = { expression: '30 2 * * *', timezone: 'Europe/Brussels' };
    const firstPassed = new Date('2027-10-31T01:00:00Z');
    expect(nextOccurrence(night, firstPassed)?.toISOString()).toBe('2027-10-31T01:30:00.000Z');
    expect(previousOccurrence(night, firstPassed)?.toISOString()).toBe('2027-10-30T00:30:00.000Z');
    expect(previousOccurrence(night, new Date('2027-10-31T01:30:00Z'))?.toISOString()).toBe('2027-10-31T01:30:00.000Z');
  });

  it('reads day and month names by their first three letters', () => {
    expect(iso(occurrences({ expression: '0 9 * january monday', timezone: 'UTC' }, new Date('2027-01-01T00:00:00Z'), new Date('2027-12-31T00:00:00Z'), 2))).toEqual(['2027-01-04T09:00:00.000Z', '2027-01-11T09:00:00.000Z']);
  });
});
