import type { SqlRunner } from './sql-runner.js';

/**
 * The few places where SQL for SQLite and PostgreSQL must differ, for the stores written once
 * over a SqlRunner. Everything else is written the same for both.
 */

/**
 * `column` is one of `values`, bound as one parameter: a JSON array SQLite reads with json_each,
 * a PostgreSQL array (so a statement keeps one text, however many values it is given).
 */
export function anyOf(db: SqlRunner, column: string, values: readonly (string | number)[], type: 'text' | 'bigint' = 'text'): { sql: string; params: unknown[] } {
  return db.dialect === 'sqlite'
    ? { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] }
    : { sql: `${column} = ANY(?::${type}[])`, params: [[...values]] };
}

/**
 * Makes the transactions that name `key` take turns until they end: PostgreSQL's transaction
 * advisory lock (replicas write at once); SQLite needs none, as its write transactions already
 * take turns over the whole file.
 */
export async function lockFor(tx: SqlRunner, key: string): Promise<void> {
  if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
}

/** ` FOR UPDATE` where rows read in a transaction must stay as read until it ends (PostgreSQL; SQLite's write transaction holds the file). */
export function forUpdate(db: SqlRunner): string {
  return db.dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/** A primary key or unique constraint refused a row (PostgreSQL's 23505, SQLite's constraint codes). */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
