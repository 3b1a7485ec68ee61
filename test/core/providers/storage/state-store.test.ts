import { openPostgres } from '../../../../src/core/providers/storage/postgres/database.js';
import { postgresStateStore } from '../../../../src/core/providers/storage/postgres/state-store.js';
import { openSqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { sqliteStateStore } from '../../../../src/core/providers/storage/sqlite/state-store.js';
import { describe, it } from 'vitest';
import { describeStateStoreContract } from '../../../contract/state-store.contract.js';
import { tempDir } from '../../../helpers/core.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';

describeStateStoreContract('SQLite', async () => {
  const db = openSqliteDatabase(tempDir('docent-state-'));
  const state = sqliteStateStore(db, { closeDatabase: true });
  return { state, cleanup: () => state.close() };
});

const unavailable = postgresUnavailable();
if (unavailable) {
  console.warn(`[notice] ${unavailable}.`);
  describe.skip('StateStore contract: PostgreSQL', () => it('needs PostgreSQL', () => undefined));
} else {
  let server: TestPostgres | undefined;
  describeStateStoreContract('PostgreSQL', async () => {
    server = await startTestPostgres();
    const url = await server.createDatabase();
    const state = postgresStateStore(await openPostgres(url), url);
    return {
      state,
      cleanup: async () => {
        await state.close();
        await server?.stop();
      },
    };
  });
}
