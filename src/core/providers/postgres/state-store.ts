import type { StateStore } from '../../state.js';
import { PostgresConversationState } from './conversation-state.js';
import type { PgPool } from './database.js';
import { PostgresDeliveryState } from './delivery-state.js';
import { PostgresDigestState } from './digest-state.js';
import { PostgresFeedbackState } from './feedback-state.js';
import { PostgresRegistry } from './registry.js';
import { PostgresSettingsState } from './settings-state.js';

/** The StateStore in PostgreSQL (DATABASE_URL), shared by every replica. Closing it closes the pool. */
export function postgresStateStore(pool: PgPool): StateStore {
  return {
    documents: new PostgresRegistry(pool),
    digests: new PostgresDigestState(pool),
    feedback: new PostgresFeedbackState(pool),
    settings: new PostgresSettingsState(pool),
    conversations: new PostgresConversationState(pool),
    deliveries: new PostgresDeliveryState(pool),
    close: () => pool.end(),
  };
}
