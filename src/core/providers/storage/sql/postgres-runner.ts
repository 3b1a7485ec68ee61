import pg from 'pg';
import { transaction } from '../postgres/database.js';
import type { SqlRunner } from './sql-runner.js';

/** `?` placeholders numbered as $1, $2… */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

function over(target: Queryable, transaction: SqlRunner['transaction']): SqlRunner {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await target.query(numbered(sql), [...params])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await target.query(numbered(sql), [...params])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => (await target.query(numbered(sql), [...params])).rowCount ?? 0,
    transaction,
  };
}

/** A client already inside a transaction: a nested transaction is a savepoint. */
function inTransaction(client: pg.PoolClient): SqlRunner {
  return over(client, async (work) => {
    const name = `sp_${Math.random().toString(36).slice(2)}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      const result = await work(inTransaction(client));
      await client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      throw error;
    }
  });
}

/** A runner over a PostgreSQL pool: each statement takes any connection; a transaction holds one. */
export function postgresRunner(pool: pg.Pool): SqlRunner {
  return over(pool, (work) => transaction(pool, (client) => work(inTransaction(client))));
}

/**
 * Runs `work` while this replica holds the session advisory lock named `key`: replicas calling it
 * with the same key take turns. The lock is held on a connection of its own (not the pool's:
 * `work` may need every pooled connection); if the replica stops, its connection closes and the
 * lock passes on.
 */
export async function underSessionLock<T>(pool: pg.Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client(pool.options);
  // A connection the server drops while the work runs must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    return await work();
  } finally {
    // Closing the session releases its lock.
    await client.end().catch(() => undefined);
  }
}
