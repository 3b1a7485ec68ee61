import type { Versions } from '../../../ports/ports.js';

/** Versions of a name kept besides the current one. */
export const KEPT_PREVIOUS = 1;

/**
 * SQL (the same in SQLite and PostgreSQL) keeping the rows of `documents d` that are their name's
 * current version (no newer ready version of the same name in the tenant), or the others.
 */
export function versionFilter(versions: Versions): string {
  const newer = `SELECT 1 FROM documents n WHERE n.tenant = d.tenant AND n.store_key = d.store_key AND n.name = d.name AND n.status = 'ready'
    AND (n.indexed_at > d.indexed_at OR (n.indexed_at = d.indexed_at AND n.id > d.id))`;
  return versions === 'current' ? `NOT EXISTS (${newer})` : `EXISTS (${newer})`;
}

/**
 * The instant a version becomes current at: `at`, or just after the newest other version when
 * that is later (a clock set back, or replicas whose clocks differ), so the newest is always the
 * one published last. ISO strings (SQLite) and dates (PostgreSQL) alike.
 */
export function newestAt(at: Date, newestOther: string | Date | null | undefined): string {
  if (newestOther === null || newestOther === undefined) return at.toISOString();
  const other = new Date(newestOther).getTime();
  return new Date(Math.max(at.getTime(), other + 1)).toISOString();
}
