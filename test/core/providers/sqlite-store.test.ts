import { openSqliteDatabase } from '../../../src/core/providers/sqlite-database.js';
import { SqliteStore } from '../../../src/core/providers/sqlite-store.js';
import { CONTRACT_DIMENSIONS, describeVectorStoreContract } from '../../contract/vector-store.contract.js';
import { tempDir } from '../../helpers/core.js';

describeVectorStoreContract('SQLite', async () => {
  const db = openSqliteDatabase(tempDir());
  return {
    store: new SqliteStore(db, { model: 'fake-embedding', dimensions: CONTRACT_DIMENSIONS }, { minSimilarity: 0 }, 'test'),
    cleanup: async () => {
      db.close();
    },
  };
});
