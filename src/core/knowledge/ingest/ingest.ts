import { documentFormats, documentUnits } from '../../providers/readers/formats/index.js';
import type { OpenedDocument } from '../../ports/ports.js';
import type { Actor, DocumentRecord } from '../../ports/types.js';
import { documentId, sha256Hex } from './ids.js';
import { asRefusal, documentKind, emptyDocumentRefusal, openFailure, refuse } from './ingest-refusals.js';
import type { IngestDeps, IngestProgress, IngestResult } from './ingest-deps.js';
import { writePages, type WrittenPages } from './page-writer.js';

export { formatMegabytes } from './ingest-refusals.js';
export { countTerms } from './page-writer.js';
export type { IngestDeps, IngestLimits, IngestProgress, IngestResult } from './ingest-deps.js';


/** The name and origin of an upload whose bytes are already read (and checked against the limits). */
export interface Upload {
  readonly name: string;
  readonly link: string | undefined;
  readonly origins?: readonly string[];
}

/**
 * Indexes an upload's bytes (already read, and checked against the limits) for one tenant.
 * Nothing becomes visible until every chunk is stored: the registry flips the document to 'ready'
 * in one transaction at the end (keeping the version of the same name it replaces as the previous
 * one), and any failure removes what was written, so the store is left as it was. A crash mid-way
 * leaves an 'indexing' row that `recover` rolls back at the next start. `resume`: the upload was
 * recorded as a job whose reader stopped, so a document it left half-indexed is abandoned (its
 * lease lapsed) and is removed, not waited for.
 */
export async function ingestData(
  deps: IngestDeps,
  tenant: string,
  upload: Upload,
  data: Buffer,
  uploader: Actor,
  options: { readonly onProgress?: (progress: IngestProgress) => void; readonly resume?: boolean } = {},
): Promise<IngestResult> {
  const { onProgress } = options;
  const file = upload;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const sha256 = sha256Hex(data);
  const existing = await deps.registry.findReady(tenant, deps.store.key, sha256);
  if (existing) {
    // Posting a file makes it its name's current version, also when it is the previous one.
    const previous = await deps.registry.reinstate(existing.id, deps.clock.now());
    const document = previous ? ((await deps.registry.get(existing.id)) ?? existing) : existing;
    return { status: previous ? 'reinstated' : 'unchanged', document, previous, pagesWithoutText: 0, seconds: elapsed() };
  }
  const id = documentId(tenant, deps.store.key, sha256);
  const leftover = await deps.registry.get(id);
  if (leftover?.status === 'indexing' && options.resume !== true) {
    throw refuse('already_indexing', file.name, 'the same file is being indexed right now; wait for it to finish');
  }
  if (leftover) await removeDocument(deps, leftover);

  let document: OpenedDocument;
  try {
    document = await deps.parser.open(data, { timeoutMs: deps.limits.timeoutMs, kind: documentKind(upload.name, data, deps.limits.maxUnpackedBytes) });
  } catch (error) {
    throw openFailure(error, data, file.name);
  }
  try {
    await begin(deps, document, { id, tenant, sha256, bytes: data.length, file, uploader });
  } catch (error) {
    await document.close();
    throw error;
  }

  try {
    const written = await writePages(deps, { tenant, id, name: file.name }, document, onProgress);
    const empty = emptyDocumentRefusal(written, data, file.name, { enabled: deps.readPageText !== undefined, timeoutMs: deps.ocrTimeoutMs });
    if (empty) throw empty;
    const { record, previous } = await publish(deps, id, document.pageCount, written);
    return {
      status: 'indexed',
      document: record,
      previous,
      pagesWithoutText: written.pagesWithoutText,
      ...(written.ocrOverBudget.length > 0 ? { ocrOverBudget: written.ocrOverBudget } : {}),
      ...(written.unreadablePages.length > 0 ? { unreadablePages: written.unreadablePages } : {}),
      seconds: elapsed(),
    };
  } catch (error) {
    await rollback(deps, tenant, id);
    throw asRefusal(error, file.name);
  } finally {
    await document.close();
  }
}

/** Checks the page count and records the document as 'indexing' (invisible until published). */
async function begin(deps: IngestDeps, document: OpenedDocument, doc: { id: string; tenant: string; sha256: string; bytes: number; file: Upload; uploader: Actor }): Promise<void> {
  const { name } = doc.file;
  const paged = documentFormats.citedAs(name).citation.unit === 'page';
  if (document.pageCount > deps.limits.maxPages) {
    throw refuse('pdf_too_many_pages', name, `it has ${documentUnits(name, document.pageCount)}, over the limit of ${deps.limits.maxPages} (MAX_PDF_PAGES)`);
  }
  if (document.pageCount === 0) throw paged ? refuse('pdf_no_pages', name, 'it has no pages') : refuse('no_text', name, 'it holds no text to index');
  await deps.registry.begin({
    id: doc.id,
    tenant: doc.tenant,
    storeKey: deps.store.key,
    name,
    sha256: doc.sha256,
    bytes: doc.bytes,
    uploadedBy: doc.uploader,
    link: doc.file.link,
    origins: doc.file.origins ?? [],
    createdAt: deps.clock.now().toISOString(),
  });
}

/**
 * Makes the document visible, as its name's current version, in one registry transaction; the
 * version it replaces stays as the previous one, and older versions are deleted.
 */
async function publish(deps: IngestDeps, id: string, pages: number, written: WrittenPages): Promise<{ record: DocumentRecord; previous: DocumentRecord | undefined }> {
  await deps.registry.saveTerms(id, written.terms);
  const { previous, retired } = await deps.registry.publish(id, { pages, chunks: written.chunks, ocrPages: written.ocrPages }, deps.clock.now());
  for (const old of retired) await removeDocument(deps, old);
  const record = await deps.registry.get(id);
  if (record === undefined) throw new Error(`document ${id} vanished after publishing`);
  return { record, previous };
}

async function rollback(deps: IngestDeps, tenant: string, id: string): Promise<void> {
  try {
    await deps.store.deleteDocument(tenant, id);
    await deps.registry.remove(id);
  } catch (error) {
    // The row stays in 'indexing' (never visible) and is rolled back by recover() at next start.
    deps.logger.error({ err: error, documentId: id }, 'could not roll back a failed ingest; it will be retried at start-up');
  }
}

/** Deletes a document's chunks, then its registry row; the row is 'deleting' (invisible) meanwhile. */
export async function removeDocument(deps: Pick<IngestDeps, 'registry' | 'store'>, record: DocumentRecord): Promise<void> {
  await deps.registry.markDeleting(record.id);
  await deps.store.deleteDocument(record.tenant, record.id);
  await deps.registry.remove(record.id);
}
