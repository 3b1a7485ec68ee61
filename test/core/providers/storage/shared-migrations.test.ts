import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../../src/core/providers/storage/postgres/database.js';
import { migrationsFor, type Dialect, type SharedMigration } from '../../../../src/core/providers/storage/sql/migrations.js';
import { postgresRunner } from '../../../../src/core/providers/storage/sql/postgres-runner.js';
import { readBool, readDate, readJson, type SqlRunner } from '../../../../src/core/providers/storage/sql/sql-runner.js';
import { sqliteRunner } from '../../../../src/core/providers/storage/sql/sqlite-runner.js';
import { openSqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';

/** A stored concept added the way the README's recipe says: one migration for both databases. */
const reminders: SharedMigration = (t) => `CREATE TABLE test_reminders (id TEXT PRIMARY KEY, due ${t.timestamp} NOT NULL, done ${t.boolean} NOT NULL, tags ${t.json} NOT NULL)`;
const perDialect: SharedMigration = { sqlite: 'CREATE INDEX test_reminders_due ON test_reminders (due)', postgres: 'CREATE INDEX test_reminders_due ON test_reminders (due DESC)' };

describe('migrationsFor', () => {
  it('appends the shared migrations after the historic ones, in each dialect', () => {
    expect(migrationsFor('sqlite', ['A'], [reminders, perDialect])).toEqual([
      'A',
      'CREATE TABLE test_reminders (id TEXT PRIMARY KEY, due TEXT NOT NULL, done INTEGER NOT NULL, tags TEXT NOT NULL)',
      'CREATE INDEX test_reminders_due ON test_reminders (due)',
    ]);
    expect(migrationsFor('postgres', ['A', 'B'], [reminders, perDialect])).toEqual([
      'A',
      'B',
      'CREATE TABLE test_reminders (id TEXT PRIMARY KEY, due TIMESTAMPTZ NOT NULL, done BOOLEAN NOT NULL, tags JSONB NOT NULL)',
      'CREATE INDEX test_reminders_due ON test_reminders (due DESC)',
    ]);
  });
});

function describeShared(dialect: Dialect, open: () => Promise<{ runner: SqlRunner; close: () => Promise<void> }>): void {
  it(`a table written once stores and reads back the same values on ${dialect}`, async () => {
    const { runner, close } = await open();
    try {
      for (const sql of migrationsFor(dialect, [], [reminders, perDialect])) await runner.run(sql);
      const due = new Date('2027-01-05T08:00:00.000Z');
      await runner.run('INSERT INTO test_reminders (id, due, done, tags) VALUES (?, ?, ?, ?)', ['r1', due, false, JSON.stringify(['ops'])]);
      const row = await runner.get<{ due: string | Date; done: unknown; tags: unknown }>('SELECT due, done, tags FROM test_reminders WHERE id = ? AND due <= ?', ['r1', due]);
      expect(row && { due: readDate(row.due), done: readBool(row.done), tags: readJson<string[]>(row.tags, []) }).toEqual({ due, done: false, tags: ['ops'] });
    } finally {
      await close();
    }
  });
}

describe('shared migrations on both databases', () => {
  describeShared('sqlite', async () => {
    const db = openSqliteDatabase(':memory:');
    return { runner: sqliteRunner(db), close: async () => void db.close() };
  });
  const unavailable = postgresUnavailable();
  if (unavailable) {
    console.warn(`[notice] ${unavailable}.`);
    it.skip('on PostgreSQL (needs PostgreSQL)', () => undefined);
  } else {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startTestPostgres();
    });
    afterAll(() => server?.stop());
    describeShared('postgres', async () => {
      const pool = await openPostgres(await server.createDatabase());
      return { runner: postgresRunner(pool), close: () => pool.end() };
    });
  }
});
