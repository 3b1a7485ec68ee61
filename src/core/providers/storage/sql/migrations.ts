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
  /** false, as a boolean column's default. */
  readonly falseValue: string;
  /** A row id the database numbers itself, as the table's key. */
  readonly autoId: string;
  /** After a table's closing parenthesis: SQLite stores a table keyed by its primary key without a rowid. */
  readonly withoutRowid: string;
}

export type Dialect = 'sqlite' | 'postgres';

export type SharedMigration = ((types: ColumnTypes) => string) | { readonly sqlite: string; readonly postgres: string };

export const SQLITE_TYPES: ColumnTypes = { timestamp: 'TEXT', boolean: 'INTEGER', json: 'TEXT', bytes: 'BLOB', falseValue: '0', autoId: 'INTEGER PRIMARY KEY AUTOINCREMENT', withoutRowid: ' WITHOUT ROWID' };
export const POSTGRES_TYPES: ColumnTypes = { timestamp: 'TIMESTAMPTZ', boolean: 'BOOLEAN', json: 'JSONB', bytes: 'BYTEA', falseValue: 'FALSE', autoId: 'BIGSERIAL PRIMARY KEY', withoutRowid: '' };
const TYPES: Readonly<Record<Dialect, ColumnTypes>> = { sqlite: SQLITE_TYPES, postgres: POSTGRES_TYPES };

/**
 * Tables both databases created in the same words but for their types, inside historic
 * migrations that differ otherwise (PostgreSQL's first migration holds what SQLite added one by one).
 */
export const HISTORIC_TABLES = {
  answers: (t: ColumnTypes) => `CREATE TABLE answers (
     id TEXT PRIMARY KEY,
     tenant TEXT NOT NULL,
     question TEXT NOT NULL,
     answer TEXT NOT NULL,
     grounded ${t.boolean} NOT NULL,
     model TEXT,
     asked_by TEXT NOT NULL,
     created_at ${t.timestamp} NOT NULL
   )`,
  feedback: (t: ColumnTypes) => `CREATE TABLE feedback (
     answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
     created_at ${t.timestamp} NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   )`,
  channelSettings: (t: ColumnTypes) => `CREATE TABLE channel_settings (
     tenant TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at ${t.timestamp} NOT NULL,
     PRIMARY KEY (tenant, key)
   )`,
  digestSchedules: (t: ColumnTypes) => `CREATE TABLE digest_schedules (
     id TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     workspace TEXT NOT NULL,
     channel TEXT NOT NULL,
     spec TEXT NOT NULL,
     expression TEXT NOT NULL,
     timezone TEXT NOT NULL,
     description TEXT NOT NULL,
     channels ${t.json} NOT NULL,
     created_by_id TEXT NOT NULL,
     created_by_name TEXT NOT NULL,
     created_at ${t.timestamp} NOT NULL,
     source TEXT NOT NULL CHECK (source IN ('chat', 'config')),
     removed_at ${t.timestamp}
   )`,
  digestRuns: (t: ColumnTypes) => `CREATE TABLE digest_runs (
     schedule_id TEXT NOT NULL REFERENCES digest_schedules (id),
     period ${t.timestamp} NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'posting', 'posted', 'quiet', 'skipped', 'failed', 'unknown')),
     late ${t.boolean} NOT NULL DEFAULT ${t.falseValue},
     owner TEXT NOT NULL,
     started_at ${t.timestamp} NOT NULL,
     covered_until ${t.timestamp},
     finished_at ${t.timestamp},
     message TEXT,
     detail TEXT,
     PRIMARY KEY (schedule_id, period)
   )`,
  documentTerms: (t: ColumnTypes) => `CREATE TABLE document_terms (
     document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
     token TEXT NOT NULL,
     passages INTEGER NOT NULL,
     PRIMARY KEY (token, document_id)
   )${t.withoutRowid}`,
  conversationTurns: (t: ColumnTypes) => `CREATE TABLE conversation_turns (
     seq ${t.autoId},
     key TEXT NOT NULL,
     question TEXT NOT NULL,
     answer TEXT NOT NULL,
     at ${t.timestamp} NOT NULL
   )`,
  deliveries: (t: ColumnTypes) => `CREATE TABLE deliveries (
     source TEXT NOT NULL,
     id TEXT NOT NULL,
     at ${t.timestamp} NOT NULL,
     PRIMARY KEY (source, id)
   )${t.withoutRowid}`,
} as const;

/**
 * Historic migrations both databases already had in the same words but for their types: each
 * database's historic list includes them at the place they shipped (the texts are unchanged).
 */
export const HISTORIC_SHARED_MIGRATIONS: readonly ((t: ColumnTypes) => string)[] = [
  // The messages and files a document was posted in, grouped by posting (a Slack message and its
  // file are one posting): deleting any key of a posting removes it; with no posting left the
  // document is forgotten.
  (t) => `CREATE TABLE document_origins (
     origin TEXT NOT NULL,
     document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
     posting TEXT NOT NULL,
     PRIMARY KEY (origin, document_id)
   )${t.withoutRowid};
   CREATE INDEX document_origins_by_document ON document_origins (document_id);`,
  // Channels (or whole workspaces, as 'platform:workspace:') Docent left: their documents are
  // purged CHANNEL_PURGE_DAYS later unless it comes back.
  (t) => `CREATE TABLE channel_departures (
     tenants TEXT PRIMARY KEY,
     reason TEXT NOT NULL,
     at ${t.timestamp} NOT NULL
   );`,
  // A name's current version is its newest ready document (sql/versions.ts): looked up by name.
  () => `CREATE INDEX documents_by_name ON documents (tenant, store_key, name, status, indexed_at);`,
  // What each reply sent where, for its Details button (kept a week).
  (t) => `CREATE TABLE reply_details (
     id TEXT PRIMARY KEY,
     tenant TEXT NOT NULL,
     user_id TEXT NOT NULL,
     details TEXT NOT NULL,
     at ${t.timestamp} NOT NULL
   );
   CREATE INDEX reply_details_by_age ON reply_details (at);`,
  // What Docent did, for the admin page (kept 90 days): provider calls, ingest outcomes, model
  // retirements; and the sources each answer cited, for reviewing answers rated down.
  (t) => `ALTER TABLE answers ADD COLUMN sources TEXT;
   CREATE TABLE activity (
     seq ${t.autoId},
     at ${t.timestamp} NOT NULL,
     tenant TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('call', 'ingest', 'model')),
     provider TEXT NOT NULL,
     subject TEXT NOT NULL,
     purpose TEXT NOT NULL,
     outcome TEXT NOT NULL,
     code TEXT,
     detail TEXT,
     ms INTEGER
   );
   CREATE INDEX activity_by_age ON activity (at);
   CREATE INDEX activity_by_tenant ON activity (tenant, kind, at);
   CREATE INDEX answers_by_time ON answers (created_at);`,
  // Sessions signed in to the admin page, under a hash of their id (the cookie holds the id).
  (t) => `CREATE TABLE admin_sessions (
     id_hash TEXT PRIMARY KEY,
     expires_at ${t.timestamp} NOT NULL,
     created_at ${t.timestamp} NOT NULL
   )${t.withoutRowid};
   CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);`,
  // What a store's passages were made with, per store and subject ('tokenizer': the version their
  // lexical tokens were computed with; none recorded is version 1), so a change is applied once.
  (t) => `CREATE TABLE store_versions (
     store_key TEXT NOT NULL,
     subject TEXT NOT NULL,
     version INTEGER NOT NULL,
     updated_at ${t.timestamp} NOT NULL,
     PRIMARY KEY (store_key, subject)
   )${t.withoutRowid};`,
];

/** Add new migrations at the end; never edit or reorder one that has shipped. */
export const SHARED_MIGRATIONS: readonly SharedMigration[] = [];

/** A database's whole list: its historic migrations, then the shared ones in its dialect. */
export function migrationsFor(dialect: Dialect, historic: readonly string[], shared: readonly SharedMigration[] = SHARED_MIGRATIONS): readonly string[] {
  return [...historic, ...shared.map((m) => (typeof m === 'function' ? m(TYPES[dialect]) : m[dialect]))];
}
