import type { DocumentRegistry, Logger, VectorStore } from '../../ports/ports.js';
import type { DocumentRecord, Scope } from '../../ports/types.js';
import { tenantKey } from '../../ports/types.js';
import { removeDocument } from '../ingest/ingest.js';

/** Where a deletion happened: a channel, or a whole workspace (a file deleted everywhere). */
export interface DeletedAt {
  readonly platform: string;
  readonly workspace: string;
  readonly channel?: string;
}

export interface ForgetPostedDeps {
  readonly registry: DocumentRegistry;
  readonly store: VectorStore;
  readonly logger: Logger;
  /** Whether the channel forgets documents whose message is deleted (setting forgetdeleted, on by default). */
  readonly forgetsDeleted: (scope: Scope) => Promise<boolean>;
}

function scopeOf(tenant: string): Scope {
  const [platform = '', workspace = '', channel = ''] = tenant.split(':');
  return { platform, workspace, channel };
}

/**
 * The message or file a document was posted in is gone (deleted, or the file unshared from the
 * channel). Documents posted nowhere else are forgotten in their channel, unless it turned
 * forgetdeleted off; each is logged. A document also posted in another message stays.
 */
export async function forgetPosted(deps: ForgetPostedDeps, where: DeletedAt, origin: string): Promise<DocumentRecord[]> {
  const tenants = where.channel ? tenantKey({ platform: where.platform, workspace: where.workspace, channel: where.channel }) : `${where.platform}:${where.workspace}:`;
  const forgotten: DocumentRecord[] = [];
  for (const record of await deps.registry.releaseOrigin(tenants, origin)) {
    const scope = scopeOf(record.tenant);
    if (!(await deps.forgetsDeleted(scope))) {
      deps.logger.info({ documentId: record.id, file: record.name, tenant: record.tenant, origin }, 'the message a document came in was deleted; kept (forgetdeleted is off here)');
      continue;
    }
    await removeDocument(deps, record);
    deps.logger.info({ documentId: record.id, file: record.name, tenant: record.tenant, origin }, 'forgot a document: the message or file it came in was deleted');
    forgotten.push(record);
  }
  return forgotten;
}
