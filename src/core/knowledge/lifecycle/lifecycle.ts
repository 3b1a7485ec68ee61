import type { Clock, DocumentRegistry, Logger, VectorStore } from '../../ports/ports.js';
import { tenantKey } from '../../ports/types.js';
import type { DeletedAt } from './forget-posted.js';
import { removeDocument } from '../ingest/ingest.js';

const DAY_MS = 86_400_000;

export interface LifecycleDeps {
  readonly registry: DocumentRegistry;
  readonly store: VectorStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** DOCUMENT_RETENTION_DAYS: documents indexed longer ago are retired; undefined keeps them. */
  readonly retentionDays: number | undefined;
  /** CHANNEL_PURGE_DAYS: how long a channel Docent left keeps its documents (0: purged at once). */
  readonly purgeDays: number;
}

/** A channel, or a whole workspace (Docent removed from a server or uninstalled). */
export type Place = DeletedAt;

export interface Lifecycle {
  /** Docent left a place (removed, or the channel deleted or archived): its documents are purged after the grace period. */
  departed(place: Place, reason: string): Promise<void>;
  /** Docent is back (re-added, unarchived): nothing is purged. */
  returned(place: Place): Promise<void>;
  /** Retires what is due: documents past their retention, places left longer than the grace period. */
  sweep(): Promise<{ retired: number; purged: number }>;
}

const tenantsOf = (place: Place) => (place.channel ? tenantKey({ platform: place.platform, workspace: place.workspace, channel: place.channel }) : `${place.platform}:${place.workspace}:`);

/**
 * How long documents live: retention (DOCUMENT_RETENTION_DAYS) and the purge of channels Docent
 * left (CHANNEL_PURGE_DAYS), both logged per document. Sweeps are safe on several replicas at
 * once (a document removed twice is removed once).
 */
export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const { registry, logger } = deps;
  const purge = async (tenants: string, reason: string) => {
    const documents = await registry.listReadyIn(tenants, deps.store.key);
    for (const record of documents) {
      await removeDocument(deps, record);
      logger.info({ documentId: record.id, file: record.name, tenant: record.tenant, reason }, 'purged a document: Docent left its channel');
    }
    return documents.length;
  };
  return {
    async departed(place, reason) {
      const tenants = tenantsOf(place);
      if (deps.purgeDays === 0) {
        await purge(tenants, reason);
        return;
      }
      await registry.markDeparted(tenants, reason, deps.clock.now());
      logger.info({ tenants, reason, purgeDays: deps.purgeDays }, 'Docent left a channel; its documents are purged after CHANNEL_PURGE_DAYS unless it comes back');
    },
    async returned(place) {
      await registry.clearDeparted(tenantsOf(place));
    },
    async sweep() {
      const now = deps.clock.now().getTime();
      let retired = 0;
      if (deps.retentionDays !== undefined) {
        for (const record of await registry.listIndexedBefore(deps.store.key, new Date(now - deps.retentionDays * DAY_MS))) {
          await removeDocument(deps, record);
          logger.info({ documentId: record.id, file: record.name, tenant: record.tenant, indexedAt: record.indexedAt }, 'retired a document older than DOCUMENT_RETENTION_DAYS');
          retired++;
        }
      }
      let purged = 0;
      for (const departure of await registry.listDeparted(new Date(now - deps.purgeDays * DAY_MS))) {
        purged += await purge(departure.tenants, departure.reason);
        await registry.clearDeparted(departure.tenants);
      }
      return { retired, purged };
    },
  };
}
