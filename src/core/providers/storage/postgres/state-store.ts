import type { StateStore } from '../../../ports/state-store.js';
import { postgresRunner, underSessionLock } from '../sql/postgres-runner.js';
import { SqlRegistry } from '../sql/registry.js';
import { sqlStateStore } from '../sql/state-store.js';
import { describeDatabase, migrate, type PgPool } from './database.js';

/** The StateStore in PostgreSQL (DATABASE_URL), shared by every replica: init() migrates, close() closes the pool. */
export function postgresStateStore(pool: PgPool, url: string): StateStore {
  return sqlStateStore(postgresRunner(pool), {
    description: `PostgreSQL at ${describeDatabase(url)}`,
    documents: new SqlRegistry(postgresRunner(pool), { turns: (key, work) => underSessionLock(pool, key, work) }),
    init: async () => {
      await migrate(pool);
    },
    close: () => pool.end(),
  });
}
