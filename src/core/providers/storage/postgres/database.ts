import pg from 'pg';
import type { ReachabilityWatch } from '../../../ports/ports.js';
import { watchedPool } from './connection-errors.js';
import { HISTORIC_SHARED_MIGRATIONS, HISTORIC_TABLES, migrationsFor, POSTGRES_TYPES } from '../sql/migrations.js';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/**
 * Versioned migrations, applied in order at start. Each replica runs them under one advisory
 * lock, in one transaction, so replicas starting together migrate once and a failed migration
 * leaves the schema as it was. These are the ones written before new ones were shared (see
 * ../sql/migrations.ts); never edited.
 */
const HISTORIC_MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     tenant TEXT NOT NULL,
     store_key TEXT NOT NULL,
     name TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     bytes BIGINT NOT NULL,
     pages INTEGER NOT NULL DEFAULT 0,
     chunks INTEGER NOT NULL DEFAULT 0,
     ocr_pages INTEGER NOT NULL DEFAULT 0,
     status TEXT NOT NULL CHECK (status IN ('indexing', 'ready', 'deleting')),
     uploaded_by_id TEXT NOT NULL,
     uploaded_by_name TEXT NOT NULL,
     link TEXT,
     created_at TIMESTAMPTZ NOT NULL,
     indexed_at TIMESTAMPTZ,
     terms_saved BOOLEAN NOT NULL DEFAULT FALSE
   );
   CREATE INDEX documents_by_tenant ON documents (tenant, store_key, status);
   CREATE INDEX documents_by_indexed ON documents (tenant, indexed_at);
   ${HISTORIC_TABLES.documentTerms(POSTGRES_TYPES)};
   CREATE INDEX document_terms_by_document ON document_terms (document_id);
   ${HISTORIC_TABLES.answers(POSTGRES_TYPES)};
   CREATE INDEX answers_by_tenant ON answers (tenant, created_at);
   ${HISTORIC_TABLES.feedback(POSTGRES_TYPES)};
   ${HISTORIC_TABLES.channelSettings(POSTGRES_TYPES)};
   ${HISTORIC_TABLES.digestSchedules(POSTGRES_TYPES)};
   CREATE INDEX digest_schedules_by_channel ON digest_schedules (platform, workspace, channel);
   ${HISTORIC_TABLES.digestRuns(POSTGRES_TYPES)};
   ${HISTORIC_TABLES.conversationTurns(POSTGRES_TYPES)};
   CREATE INDEX conversation_turns_by_key ON conversation_turns (key, seq);
   CREATE INDEX conversation_turns_by_age ON conversation_turns (at);
   ${HISTORIC_TABLES.deliveries(POSTGRES_TYPES)};
   CREATE INDEX deliveries_by_age ON deliveries (at);`,
  // Passages (without Qdrant): shared by every replica. seq orders a channel's passages as they
  // were committed (writers of one channel take turns), so a replica catches up by reading past
  // the last seq it holds; the epoch changes when passages are rewritten or deleted.
  `CREATE TABLE passages (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     tenant TEXT NOT NULL,
     document_id TEXT NOT NULL,
     file TEXT NOT NULL,
     ordinal INTEGER NOT NULL,
     page INTEGER NOT NULL,
     heading TEXT,
     text TEXT NOT NULL,
     tokens TEXT NOT NULL,
     embed_model TEXT,
     vector BYTEA,
     ocr BOOLEAN NOT NULL DEFAULT FALSE
   );
   CREATE INDEX passages_by_document ON passages (tenant, document_id);
   CREATE INDEX passages_by_tenant ON passages (tenant, seq);
   CREATE TABLE passage_epochs (
     tenant TEXT PRIMARY KEY,
     epoch BIGINT NOT NULL
   );`,
  // Uploads recorded as jobs (pg-boss holds the job; this, the file and what is needed to read it
  // again), removed once read.
  `CREATE TABLE ingest_files (
     id TEXT PRIMARY KEY,
     tenant TEXT NOT NULL,
     job JSONB NOT NULL,
     bytes BYTEA NOT NULL,
     created_at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX ingest_files_by_tenant ON ingest_files (tenant, created_at);`,
  ...HISTORIC_SHARED_MIGRATIONS.map((m) => m(POSTGRES_TYPES)),
];

const MIGRATIONS = migrationsFor('postgres', HISTORIC_MIGRATIONS);

/** The advisory lock key replicas take while migrating (any constant; this one spells "docent"). */
const MIGRATION_LOCK = 0x646f63656e74;

export interface PostgresOptions {
  /** Connections per replica (the pool's size). */
  readonly maxConnections?: number;
  /** Told when a query fails at the connection and when queries succeed (the outage monitor). */
  readonly watch?: ReachabilityWatch;
}

/**
 * A pool for DATABASE_URL; nothing connects until the first query. A query that fails because
 * the server cannot be reached throws a DatabaseUnavailableError (connection-errors.ts).
 */
export function createPool(url: string, options: PostgresOptions = {}): PgPool {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  return watchedPool(pool, options.watch);
}

/** The lightest query there is: resolves when the server answers (the outage monitor's check). */
export async function ping(pool: PgPool): Promise<void> {
  await pool.query('SELECT 1');
}

/** Where DATABASE_URL points, without its password (for the banner and logs). */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** Connects to DATABASE_URL and brings its schema up to date; throws with the server's reason when it cannot. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<PgPool> {
  const pool = createPool(url, options);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}

/** Applies the migrations this database lacks, once across replicas; returns how many were applied. */
export async function migrate(pool: PgPool): Promise<number> {
  return transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS docent_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM docent_migrations');
    const current = rows[0]?.version ?? 0;
    for (let version = current; version < MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version] ?? '');
      await client.query('INSERT INTO docent_migrations (version) VALUES ($1)', [version + 1]);
    }
    return MIGRATIONS.length - current;
  });
}

/** Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws. */
export async function transaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
