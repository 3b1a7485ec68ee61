import path from 'node:path';
import type { Config } from '../config.js';
import type { DependencyStates } from '../core/index.js';
import type { Embedder, Logger, ReachabilityWatch, VectorStore } from '../core/ports/ports.js';
import { createPool, describeDatabase, ping, type PgPool } from '../core/providers/storage/postgres/database.js';
import { postgresStateStore } from '../core/providers/storage/postgres/state-store.js';
import { QdrantStore } from '../core/providers/storage/qdrant/qdrant-store.js';
import { IndexSnapshots } from '../core/providers/search/index-snapshot.js';
import { PostgresStore, SqliteStore } from '../core/providers/storage/sql/passage-store.js';
import { openSqliteDatabase, type SqliteDatabase } from '../core/providers/storage/sqlite/database.js';
import { sqliteStateStore } from '../core/providers/storage/sqlite/state-store.js';
import type { StateStore } from '../core/ports/state-store.js';
import { createDependencyMonitor, type DependencyMonitor } from '../core/lib/dependency-monitor.js';

/** Cosine similarity below which a dense match is not considered relevant. */
const MIN_SIMILARITY = 0.5;

export interface Storage {
  readonly state: StateStore;
  readonly store: VectorStore;
  /** The PostgreSQL pool, when DATABASE_URL is set (for operator tools such as the SQLite copy). */
  readonly pool: PgPool | undefined;
  /** What the outage monitors know now (for /healthz). */
  dependencies(): DependencyStates;
  /** The PostgreSQL monitor, for the other clients of the same database (the ingest job queue). */
  readonly databaseWatch: ReachabilityWatch | undefined;
  /** Closes what was opened here. */
  close(): Promise<void>;
}

export interface StorageOverrides {
  readonly database?: SqliteDatabase;
  readonly state?: StateStore;
  readonly store?: VectorStore;
}

/** Watching PostgreSQL and Qdrant for outages: where to say so, and how often to check while one lasts. */
export interface OutageWatching {
  readonly logger: Logger;
  readonly checkEveryMs: number;
}

/**
 * Where state and passages live. State: PostgreSQL with DATABASE_URL, else the SQLite file under
 * DATA_DIR. Passages: Qdrant with QDRANT_URL, else beside the state (PostgreSQL or SQLite). The
 * SQLite file is opened only when something lives there. Nothing connects yet: PostgreSQL
 * migrates in state.init(), Qdrant checks its collection in store.init().
 */
export function wireStorage(config: Config, embedder: Pick<Embedder, 'model' | 'dimensions'> | undefined, overrides: StorageOverrides, watching?: OutageWatching): Storage {
  const embedding = embedder ? { model: embedder.model, dimensions: embedder.dimensions } : undefined;
  const databaseUrl = config.database.url;
  let pool: PgPool | undefined;
  let sqlite: SqliteDatabase | undefined = overrides.database;
  const monitor = (name: string, probe: () => Promise<unknown>) => watching && createDependencyMonitor({ name, probe, logger: watching.logger, checkEveryMs: watching.checkEveryMs });
  let database: DependencyMonitor | undefined;
  const postgres = (url: string) => {
    if (pool) return pool;
    database = monitor(`PostgreSQL at ${describeDatabase(url)}`, () => ping(created));
    const created = createPool(url, { maxConnections: config.database.poolSize, watch: database });
    pool = created;
    return created;
  };
  const file = () => (sqlite ??= openSqliteDatabase(config.dataDir));
  // Channel indexes saved beside the state, so a restart does not rebuild them (scratch: deletable).
  const snapshots = config.dataDir === ':memory:' ? undefined : new IndexSnapshots(path.join(config.dataDir, 'index-cache'));

  const state = overrides.state ?? (databaseUrl ? postgresStateStore(postgres(databaseUrl), databaseUrl) : sqliteStateStore(file(), { closeDatabase: false }));
  let qdrant: DependencyMonitor | undefined;
  const qdrantStore = (url: string) => {
    qdrant = monitor(`Qdrant at ${url}`, () => created.ready());
    const created = new QdrantStore({ url, apiKey: config.qdrant.apiKey, collectionPrefix: config.qdrant.collectionPrefix, embedding, minSimilarity: MIN_SIMILARITY, timeoutMs: config.providers.timeoutMs, watch: qdrant });
    return created;
  };
  const store =
    overrides.store ??
    (config.qdrant.url
      ? qdrantStore(config.qdrant.url)
      : databaseUrl
        ? new PostgresStore(postgres(databaseUrl), embedding, { minSimilarity: MIN_SIMILARITY, snapshots }, describeDatabase(databaseUrl))
        : new SqliteStore(file(), embedding, { minSimilarity: MIN_SIMILARITY, snapshots }, path.join(config.dataDir, 'docent.db')));

  // Passages live in Qdrant when it is configured, else beside the state.
  const held = overrides.state ? undefined : database;
  const passages = qdrant ?? (overrides.store ? undefined : database);
  return {
    state,
    store,
    pool,
    databaseWatch: database,
    dependencies: () => ({ state: held?.state() ?? 'ok', vectors: passages?.state() ?? 'ok' }),
    async close() {
      database?.stop();
      qdrant?.stop();
      await store.close();
      // The PostgreSQL state store ends the pool the passages share, so it closes last.
      await state.close();
      if (sqlite && sqlite !== overrides.database) sqlite.close();
    },
  };
}
