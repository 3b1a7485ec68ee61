/**
 * Schema changes from here on, written once for both databases. Each database keeps its historic
 * list (deployed files and clusters are at those versions, so those never change) and appends these
 * in order: SQLite counts them in `user_version`, PostgreSQL in `docent_migrations`.
 *
 * A migration is SQL built from the dialect's column types, so the two agree by construction;
 * where the databases truly differ (an index SQLite needs and PostgreSQL has), give one per dialect.
 */
export interface ColumnTypes {
  /** An instant: ISO text in SQLite, timestamptz in PostgreSQL (the runner binds Dates to either). */
  readonly timestamp: string;
  /** true/false: 0/1 in SQLite. */
  readonly boolean: string;
  /** A JSON document: text in SQLite, jsonb in PostgreSQL (read it with readJson). */
  readonly json: string;
  readonly bytes: string;
}

export type Dialect = 'sqlite' | 'postgres';

export type SharedMigration = ((types: ColumnTypes) => string) | { readonly sqlite: string; readonly postgres: string };

const TYPES: Readonly<Record<Dialect, ColumnTypes>> = {
  sqlite: { timestamp: 'TEXT', boolean: 'INTEGER', json: 'TEXT', bytes: 'BLOB' },
  postgres: { timestamp: 'TIMESTAMPTZ', boolean: 'BOOLEAN', json: 'JSONB', bytes: 'BYTEA' },
};

/** Add new migrations at the end; never edit or reorder one that has shipped. */
export const SHARED_MIGRATIONS: readonly SharedMigration[] = [];

/** A database's whole list: its historic migrations, then the shared ones in its dialect. */
export function migrationsFor(dialect: Dialect, historic: readonly string[], shared: readonly SharedMigration[] = SHARED_MIGRATIONS): readonly string[] {
  return [...historic, ...shared.map((m) => (typeof m === 'function' ? m(TYPES[dialect]) : m[dialect]))];
}
