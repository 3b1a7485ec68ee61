import type { StateStore } from '../../state.js';
import { SqlAdminQueries } from '../admin-sql.js';
import { PostgresAdminSessionState } from './admin-session-state.js';
import { PostgresActivityState } from './activity-state.js';
import { postgresRunner } from '../sql/postgres-runner.js';
import { PostgresConversationState } from './conversation-state.js';
import { describeDatabase, migrate, type PgPool } from './database.js';
import { PostgresDeliveryState } from './delivery-state.js';
import { PostgresDetailsState } from './details-state.js';
import { PostgresDigestState } from './digest-state.js';
import { PostgresFeedbackState } from './feedback-state.js';
import { PostgresRegistry } from './registry.js';
import { PostgresSettingsState } from './settings-state.js';

/** The StateStore in PostgreSQL (DATABASE_URL), shared by every replica: init() migrates, close() closes the pool. */
export function postgresStateStore(pool: PgPool, url: string): StateStore {
  return {
    description: `PostgreSQL at ${describeDatabase(url)}`,
    documents: new PostgresRegistry(pool),
    digests: new PostgresDigestState(pool),
    feedback: new PostgresFeedbackState(pool),
    settings: new PostgresSettingsState(pool),
    conversations: new PostgresConversationState(pool),
    deliveries: new PostgresDeliveryState(pool),
    activity: new PostgresActivityState(pool),
    adminSessions: new PostgresAdminSessionState(pool),
    admin: new SqlAdminQueries(postgresRunner(pool)),
    details: new PostgresDetailsState(pool),
    init: async () => {
      await migrate(pool);
    },
    close: () => pool.end(),
  };
}
