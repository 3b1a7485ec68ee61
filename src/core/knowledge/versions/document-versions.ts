import { BadInputError } from '../../ports/errors.js';
import type { DocumentRegistry, VectorStore } from '../../ports/ports.js';
import type { DocumentRecord } from '../../ports/types.js';

/** The version of a document that is current and the one it replaced. */
export interface VersionPair {
  readonly current: DocumentRecord;
  readonly previous: DocumentRecord;
}

/** A channel's previous versions (one per name), each with the current version that replaced it. */
export async function versionHistory(deps: { readonly registry: DocumentRegistry; readonly store: Pick<VectorStore, 'key'> }, tenant: string): Promise<VersionPair[]> {
  const previous = await deps.registry.listReady(tenant, deps.store.key, 'previous');
  if (previous.length === 0) return [];
  const current = new Map((await deps.registry.listReady(tenant, deps.store.key)).map((d) => [d.name, d]));
  return previous.flatMap((p) => {
    const now = current.get(p.name);
    return now ? [{ current: now, previous: p }] : [];
  });
}

/** A document by exact name (any case), id prefix (6+ characters) or name without ".pdf"; throws with the choices if none. */
export function findDocument(documents: readonly DocumentRecord[], nameOrId: string): DocumentRecord {
  const wanted = nameOrId.trim();
  const lower = wanted.toLowerCase();
  const match =
    documents.find((d) => d.name.toLowerCase() === lower) ??
    (wanted.length >= 6 ? documents.filter((d) => d.id.startsWith(lower)) : []).at(0) ??
    documents.find((d) => d.name.toLowerCase().replace(/\.pdf$/, '') === lower);
  if (match) return match;
  const choices = documents.length === 0 ? 'No documents are indexed in this channel.' : `Documents here: ${documents.map((d) => d.name).join(', ')}.`;
  throw new BadInputError('unknown_document', `No document called “${wanted}” in this channel. ${choices}`);
}

export function onlyOneVersion(document: DocumentRecord): BadInputError {
  return new BadInputError(
    'no_previous_version',
    `“${document.name}” has only one version in this channel. When a file is posted again under the same name, the version it replaces is kept, and /diff compares the two.`,
  );
}
