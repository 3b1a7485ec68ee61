import type { StateStore } from '../../../ports/state-store.js';
import { SqlRegistry } from '../sql/registry.js';
import { sqliteRunner } from '../sql/sqlite-runner.js';
import { sqlStateStore } from '../sql/state-store.js';
import type { SqliteDatabase } from './database.js';

/** The StateStore in the one SQLite file under DATA_DIR (closing it closes the file when `closeDatabase`). */
export function sqliteStateStore(db: SqliteDatabase, options: { readonly closeDatabase: boolean }): StateStore {
  return sqlStateStore(sqliteRunner(db), {
    description: db.name === ':memory:' ? 'SQLite in memory' : `SQLite at ${db.name}`,
    documents: new SqlRegistry(sqliteRunner(db)),
    init: async () => undefined,
    close: async () => {
      if (options.closeDatabase) db.close();
    },
  });
}
