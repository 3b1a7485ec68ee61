import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../../src/core/providers/storage/postgres/database.js';
import { postgresRunner } from '../../../../src/core/providers/storage/sql/postgres-runner.js';
import { readBool, readDate, type SqlRunner } from '../../../../src/core/providers/storage/sql/sql-runner.js';
import { sqliteRunner } from '../../../../src/core/providers/storage/sql/sqlite-runner.js';
import { openSqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';

/** What every runner promises, whichever database is under it. */
function describeRunner(name: string, open: () => Promise<{ runner: SqlRunner; close: () => Promise<void> }>): void {
  describe(`SqlRunner on ${name}`, () => {
    let runner: SqlRunner;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ runner, close } = await open());
      await runner.run(`CREATE TABLE runner_probe (id TEXT PRIMARY KEY, n INTEGER NOT NULL, flag BOOLEAN NOT NULL, at ${runner.dialect === 'sqlite' ? 'TEXT' : 'TIMESTAMPTZ'} NOT NULL)`);
    });
    afterAll(() => close());

    it('binds ? placeholders, dates and booleans, and reads them back in one shape', async () => {
      const at = new Date('2026-03-01T10:00:00.000Z');
      expect(await runner.run(`INSERT INTO runner_probe (id, n, flag, at) VALUES (?, ?, ?, ?)`, ['a', 1, true, at])).toBe(1);
      const row = await runner.get<{ id: string; n: number; flag: unknown; at: string | Date }>(`SELECT id, n, flag, at FROM runner_probe WHERE id = ?`, ['a']);
      expect(row && { ...row, flag: readBool(row.flag), at: readDate(row.at) }).toEqual({ id: 'a', n: 1, flag: true, at });
      expect(await runner.get(`SELECT id FROM runner_probe WHERE id = ?`, ['missing'])).toBeUndefined();
    });

    it('commits a transaction that resolves and rolls back one that throws, nested ones included', async () => {
      await runner.transaction(async (tx) => {
        await tx.run(`INSERT INTO runner_probe (id, n, flag, at) VALUES (?, ?, ?, ?)`, ['b', 2, false, new Date()]);
        await tx.transaction(async (inner) => inner.run(`UPDATE runner_probe SET n = ? WHERE id = ?`, [3, 'b'])).catch(() => undefined);
        await tx
          .transaction(async (inner) => {
            await inner.run(`UPDATE runner_probe SET n = ? WHERE id = ?`, [99, 'b']);
            throw new Error('inner fails');
          })
          .catch(() => undefined);
      });
      await expect(
        runner.transaction(async (tx) => {
          await tx.run(`INSERT INTO runner_probe (id, n, flag, at) VALUES (?, ?, ?, ?)`, ['c', 4, false, new Date()]);
          throw new Error('outer fails');
        }),
      ).rejects.toThrow('outer fails');
      const rows = await runner.all<{ id: string; n: number }>(`SELECT id, n FROM runner_probe WHERE id IN (?, ?) ORDER BY id`, ['b', 'c']);
      expect(rows).toEqual([{ id: 'b', n: 3 }]);
    });

    it('keeps statements from outside out of a transaction in progress', async () => {
      let inside!: () => void;
      const started = new Promise<void>((resolve) => (inside = resolve));
      let finish!: () => void;
      const gate = new Promise<void>((resolve) => (finish = resolve));
      const transaction = runner.transaction(async (tx) => {
        await tx.run(`INSERT INTO runner_probe (id, n, flag, at) VALUES (?, ?, ?, ?)`, ['d', 5, false, new Date()]);
        inside();
        await gate;
        throw new Error('rolled back');
      });
      await started;
      // An outside write while the transaction is open must not be rolled back with it.
      const outside = runner.run(`INSERT INTO runner_probe (id, n, flag, at) VALUES (?, ?, ?, ?)`, ['e', 6, false, new Date()]);
      finish();
      await expect(transaction).rejects.toThrow('rolled back');
      await outside;
      const rows = await runner.all<{ id: string }>(`SELECT id FROM runner_probe WHERE id IN (?, ?) ORDER BY id`, ['d', 'e']);
      expect(rows.map((r) => r.id)).toEqual(['e']);
    });
  });
}

describeRunner('SQLite', async () => {
  const db = openSqliteDatabase(':memory:');
  return { runner: sqliteRunner(db), close: async () => void db.close() };
});

const unavailable = postgresUnavailable();
if (unavailable) {
  console.warn(`[notice] ${unavailable}.`);
  describe.skip('SqlRunner on PostgreSQL', () => it('needs PostgreSQL', () => undefined));
} else {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.stop());
  describeRunner('PostgreSQL', async () => {
    const pool = await openPostgres(await server.createDatabase());
    return { runner: postgresRunner(pool), close: () => pool.end() };
  });
}
