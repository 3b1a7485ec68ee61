import type { DocumentRegistry } from '../../../ports/ports.js';
import type { StateStore } from '../../../ports/state-store.js';
import { SqlAdminQueries } from './admin-queries.js';
import { SqlActivityState } from './activity-state.js';
import { SqlAdminSessionState } from './admin-session-state.js';
import { SqlConversationState } from './conversation-state.js';
import { SqlDeliveryState } from './delivery-state.js';
import { SqlDetailsState } from './details-state.js';
import { SqlDigestState } from './digest-state.js';
import { SqlFeedbackState } from './feedback-state.js';
import { SqlSettingsState } from './settings-state.js';
import type { SqlRunner } from './sql-runner.js';

/** What a database adds to the stores written once: its name, its document registry, and how it opens and closes. */
export interface SqlStateStoreParts {
  readonly description: string;
  readonly documents: DocumentRegistry;
  readonly init: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/** The StateStore over one database's runner: every stored concept written once for SQLite and PostgreSQL. */
export function sqlStateStore(runner: SqlRunner, parts: SqlStateStoreParts): StateStore {
  return {
    description: parts.description,
    documents: parts.documents,
    digests: new SqlDigestState(runner),
    feedback: new SqlFeedbackState(runner),
    settings: new SqlSettingsState(runner),
    conversations: new SqlConversationState(runner),
    deliveries: new SqlDeliveryState(runner),
    activity: new SqlActivityState(runner),
    adminSessions: new SqlAdminSessionState(runner),
    admin: new SqlAdminQueries(runner),
    details: new SqlDetailsState(runner),
    init: parts.init,
    close: parts.close,
  };
}
