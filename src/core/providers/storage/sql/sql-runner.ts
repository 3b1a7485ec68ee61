/**
 * The one floor every stored concept is written on: SQL with `?` placeholders, run by whichever
 * database the deployment chose. Each concept's store is written once over this runner; SQLite
 * and PostgreSQL each supply a runner (`sqlite-runner.ts`, `postgres-runner.ts`) and nothing else.
 *
 * Values go in as JavaScript values: a Date is stored as the database's timestamp (ISO text in
 * SQLite, timestamptz in PostgreSQL), a boolean as the database's truth value. Values come out as
 * the driver returns them; the readers below turn them back into one shape for both.
 *
 * Never use PostgreSQL's `?` JSON operator in SQL given to a runner: every `?` is a placeholder.
 */
export interface SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** Every row of a query. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row of a query, or undefined. */
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** A statement that changes rows; resolves with how many it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. The
   * runner given to `work` is the only one that sees the transaction's writes before commit;
   * statements on the outer runner wait until it ends (SQLite) or run on another connection
   * (PostgreSQL). Nested calls on the transaction's runner run inside the same transaction.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** A timestamp column as a Date: SQLite's ISO text and PostgreSQL's Date alike. */
export function readDate(value: string | Date): Date;
export function readDate(value: string | Date | null | undefined): Date | undefined;
export function readDate(value: string | Date | null | undefined): Date | undefined {
  return value === null || value === undefined ? undefined : new Date(value);
}

/** A boolean column: SQLite's 0/1 and PostgreSQL's booleans alike. */
export function readBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 1n;
}

/** A count or sum: PostgreSQL returns bigint aggregates as strings. */
export function readCount(value: number | string | bigint | null | undefined): number {
  return Number(value ?? 0);
}

/** A JSON column: SQLite's text and PostgreSQL's parsed jsonb alike. */
export function readJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return value.length === 0 ? fallback : (JSON.parse(value) as T);
  return value as T;
}
