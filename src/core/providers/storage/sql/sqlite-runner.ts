import type Database from 'better-sqlite3';
import type { SqliteDatabase } from '../sqlite/database.js';
import type { SqlRunner } from './sql-runner.js';

type Statement = Database.Statement<unknown[]>;

/** Prepared statements kept per connection. */
const MAX_CACHED_STATEMENTS = 500;

/** SQLite stores dates as ISO text and booleans as 0/1. */
function bind(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p instanceof Date ? p.toISOString() : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/**
 * A runner over one better-sqlite3 connection. Statements run synchronously, so a single
 * statement never interleaves with another; a transaction spans awaits, so it holds a lock that
 * statements on the outer runner wait for (otherwise they would land inside someone else's
 * transaction on the shared connection). Prepared statements are cached by their SQL.
 *
 * One runner per connection: every store on the file must share it, or one store's statements
 * could land inside another's transaction. So the runner is made once per connection and kept.
 */
export function sqliteRunner(db: SqliteDatabase): SqlRunner {
  let runner = runners.get(db);
  if (runner === undefined) {
    runner = createRunner(db);
    runners.set(db, runner);
  }
  return runner;
}

const runners = new WeakMap<SqliteDatabase, SqlRunner>();

function createRunner(db: SqliteDatabase): SqlRunner {
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[]>(sql);
      // SQL whose shape varies (a list of placeholders) must not grow the cache forever: the
      // oldest statement goes first (a Map iterates in insertion order).
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
  let held: Promise<void> | undefined;

  const direct = (): Omit<SqlRunner, 'transaction'> => ({
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = prepare(sql);
      return (statement.reader ? statement.all(...bind(params)) : (statement.run(...bind(params)), [])) as T[];
    },
    get: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = prepare(sql);
      return (statement.reader ? statement.get(...bind(params)) : (statement.run(...bind(params)), undefined)) as T | undefined;
    },
    run: async (sql: string, params: readonly unknown[] = []) => prepare(sql).run(...bind(params)).changes,
  });
  const inner = direct();

  /** Waits until no transaction holds the connection. */
  const idle = async (): Promise<void> => {
    while (held !== undefined) await held;
  };

  const inTransaction = (): SqlRunner => ({
    ...inner,
    // Already inside: a nested transaction is a savepoint on the same connection.
    transaction: async <T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> => {
      const name = `sp_${Math.random().toString(36).slice(2)}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await work(inTransaction());
        db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        db.exec(`ROLLBACK TO ${name}`);
        db.exec(`RELEASE ${name}`);
        throw error;
      }
    },
  });

  return {
    dialect: 'sqlite',
    all: async (sql, params) => (await idle(), inner.all(sql, params)),
    get: async (sql, params) => (await idle(), inner.get(sql, params)),
    run: async (sql, params) => (await idle(), inner.run(sql, params)),
    async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
      await idle();
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inTransaction());
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        held = undefined;
        release();
      }
    },
  };
}
