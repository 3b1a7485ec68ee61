import type { StateStore } from '../../state.js';
import { SqlAdminQueries } from '../admin-sql.js';
import { SqliteAdminSessionState } from './admin-session-state.js';
import { SqliteActivityState } from './activity-state.js';
import { sqliteRunner } from '../sql/sqlite-runner.js';
import { SqliteConversationState } from './conversation-state.js';
import type { SqliteDatabase } from './database.js';
import { SqliteDeliveryState } from './delivery-state.js';
import { SqliteDetailsState } from './details-state.js';
import { SqliteDigestState } from './digest-state.js';
import { SqliteFeedbackState } from './feedback-state.js';
import { SqliteRegistry } from './registry.js';
import { SqliteSettingsState } from './settings-state.js';

/** The StateStore in the one SQLite file under DATA_DIR (closing it closes the file when `closeDatabase`). */
export function sqliteStateStore(db: SqliteDatabase, options: { readonly closeDatabase: boolean }): StateStore {
  return {
    description: db.name === ':memory:' ? 'SQLite in memory' : `SQLite at ${db.name}`,
    documents: new SqliteRegistry(db),
    digests: new SqliteDigestState(db),
    feedback: new SqliteFeedbackState(db),
    settings: new SqliteSettingsState(db),
    conversations: new SqliteConversationState(db),
    deliveries: new SqliteDeliveryState(db),
    activity: new SqliteActivityState(db),
    adminSessions: new SqliteAdminSessionState(db),
    admin: new SqlAdminQueries(sqliteRunner(db)),
    details: new SqliteDetailsState(db),
    init: async () => undefined,
    close: async () => {
      if (options.closeDatabase) db.close();
    },
  };
}
