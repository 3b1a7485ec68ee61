import type { DocumentRecord, FileSource, Actor, Scope } from '../ports/types.js';
import { tenantKey } from '../ports/types.js';
import type { DigestPlatform, IngestJob, IngestJobs, StoredPassage, Versions } from '../ports/ports.js';
import { sha256Hex } from './ingest/ids.js';
import { countTerms, ingestData, removeDocument, type IngestDeps, type IngestProgress, type IngestResult } from './ingest/ingest.js';
import { readWithinLimits, refuse } from './ingest/ingest-refusals.js';
import type { Activity } from '../activity/activity.js';
import { DocumentLanguages } from './ingest/document-languages.js';
import { recordedIngest } from './ingest/ingest-activity.js';
import { findDocument, onlyOneVersion, versionHistory, type VersionPair } from './versions/document-versions.js';
import { forgetPosted, type DeletedAt, type ForgetPostedDeps } from './lifecycle/forget-posted.js';
import { resumeIngest } from './ingest/resume-ingest.js';
import { retokenizeStore } from './lifecycle/retokenize.js';
import { retrieve, type Retrieval } from './search/retrieve.js';

export type { VersionPair };

export interface KnowledgeBase {
  readonly storeDescription: string;
  /** The embedding model questions and passages are sent to (Gemini), when one is configured. */
  readonly embedding: string | undefined;
  ingest(scope: Scope, file: FileSource, uploader: Actor, onProgress?: (p: IngestProgress) => void): Promise<IngestResult>;
  /** The channel's documents: the current version of each name. */
  list(scope: Scope): Promise<DocumentRecord[]>;
  /** Earlier versions kept (one per name), each with the current version that replaced it. */
  history(scope: Scope): Promise<VersionPair[]>;
  /** Finds a document of this channel by exact name (any case) or id prefix; throws with the choices if none. */
  find(scope: Scope, nameOrId: string): Promise<DocumentRecord>;
  /** A document's current and previous versions; throws when it has no previous version here. */
  versions(scope: Scope, nameOrId: string): Promise<VersionPair>;
  /** A document's passages in reading order. */
  passages(document: DocumentRecord): Promise<StoredPassage[]>;
  /** Removes a document, and the previous version of its name with it. */
  forget(scope: Scope, nameOrId: string): Promise<{ document: DocumentRecord; previous: DocumentRecord | undefined }>;
  /** Whether model providers may receive this channel's questions, documents, messages and images (setting ai). */
  providersAllowed(scope: Scope): Promise<boolean>;
  /** The language most of the channel's documents (current or previous versions) are in, as an ISO 639-3 code. */
  language(scope: Scope, versions?: Versions): Promise<string | undefined>;
  /** Searches the current versions, or (`previous`) only the versions they replaced. */
  search(scope: Scope, question: string, limit: number, signal?: AbortSignal, versions?: Versions): Promise<Retrieval>;
  /** Documents of the channel being read now, and uploads recorded but waiting for a reader. */
  reading(scope: Scope): Promise<{ indexing: DocumentRecord[]; queued: IngestJob[] }>;
  /**
   * Rolls back ingests and deletions a crash interrupted (returns how many documents it cleaned
   * up), and brings passages an older Docent stored up to date: tokenized again by this tokenizer
   * (lifecycle/retokenize.ts), term statistics for documents without them.
   */
  recover(): Promise<number>;
  /** A message or file documents were posted in is gone: see lifecycle/forget-posted.ts. */
  forgetPosted(where: DeletedAt, origin: string): Promise<DocumentRecord[]>;
  /** Starts reading uploads a stopped replica left (durable jobs only); results are posted where they were uploaded. */
  resumeAbandoned(platformFor: (name: string) => DigestPlatform | undefined): Promise<void>;
}

export interface KnowledgeDeps extends IngestDeps {
  readonly jobs: IngestJobs;
  readonly forgetsDeleted: ForgetPostedDeps['forgetsDeleted'];
  /** Whether model providers may see this channel's documents and questions (setting ai); off: no embeddings, OCR offline. */
  readonly aiAllowed: (scope: Scope) => Promise<boolean>;
  /** Reads a scanned page offline (tesseract), for channels with model providers off. */
  readonly readPageTextOffline?: IngestDeps['readPageText'];
  /** Records ingest outcomes and the channel provider calls are for (the admin page). */
  readonly activity?: Activity;
}

export function createKnowledgeBase(deps: KnowledgeDeps): KnowledgeBase {
  /** The providers a channel's documents and questions may reach: none with setting ai off. */
  const depsFor = async (scope: Scope): Promise<KnowledgeDeps> =>
    (await deps.aiAllowed(scope)) ? deps : { ...deps, embedder: undefined, readPageText: deps.readPageText && deps.readPageTextOffline };
  const list = (scope: Scope) => deps.registry.listReady(tenantKey(scope), deps.store.key);

  const find = async (scope: Scope, nameOrId: string): Promise<DocumentRecord> => findDocument(await list(scope), nameOrId);
  const history = (scope: Scope) => versionHistory(deps, tenantKey(scope));
  const languages = new DocumentLanguages(deps.store);
  const ingestUpload = async (scope: Scope, file: FileSource, uploader: Actor, onProgress?: (p: IngestProgress) => void): Promise<IngestResult> => {
    const tenant = tenantKey(scope);
    const used = await depsFor(scope);
    const data = await readWithinLimits(file, deps.limits);
    const sha256 = sha256Hex(data);
    const upload = { name: file.name, link: file.link, origins: file.origins ?? [] };
    // Known already: nothing to record but the message it was posted in again.
    const known = await deps.registry.findReady(tenant, deps.store.key, sha256);
    if (known) {
      await deps.registry.addOrigins(known.id, upload.origins);
      return ingestData(used, tenant, upload, data, uploader, { onProgress });
    }
    const lease = await deps.jobs.enqueue({ scope, ...upload, uploader, sha256, queuedAt: deps.clock.now().toISOString() }, data);
    if (!lease) throw refuse('already_indexing', file.name, 'the same file is being indexed right now; wait for it to finish');
    try {
      return await ingestData(used, tenant, upload, data, uploader, { onProgress });
    } finally {
      await lease.release();
    }
  };

  return {
    storeDescription: deps.store.description,
    embedding: deps.embedder?.model,
    providersAllowed: (scope) => deps.aiAllowed(scope),
    history,
    async versions(scope, nameOrId) {
      const current = await find(scope, nameOrId);
      const pair = (await history(scope)).find((p) => p.current.id === current.id);
      if (pair) return pair;
      throw onlyOneVersion(current);
    },
    passages: (document) => deps.store.passages(document.tenant, document.id),
    language: async (scope, versions) => languages.of(await deps.registry.listReady(tenantKey(scope), deps.store.key, versions)),
    ingest: (scope, file, uploader, onProgress) => recordedIngest(deps.activity, tenantKey(scope), file.name, () => ingestUpload(scope, file, uploader, onProgress)),
    async reading(scope) {
      const tenant = tenantKey(scope);
      const indexing = await deps.registry.listIndexing(tenant, deps.store.key);
      const being = new Set(indexing.map((d) => `${d.name}\u0000${d.sha256}`));
      const queued = (await deps.jobs.queued(tenant)).filter((job) => !being.has(`${job.name}\u0000${job.sha256}`));
      return { indexing, queued };
    },
    forgetPosted: (where, origin) => forgetPosted(deps, where, origin),
    resumeAbandoned: (platformFor) =>
      deps.jobs.work(async (job, data) => resumeIngest(await depsFor(job.scope), job, data, platformFor, (work) => recordedIngest(deps.activity, tenantKey(job.scope), job.name, work))),
    list,
    find,
    async forget(scope, nameOrId) {
      const document = await find(scope, nameOrId);
      const previous = (await history(scope)).find((p) => p.current.id === document.id)?.previous;
      // The previous version first: removing the current one alone would make it current again.
      if (previous) await removeDocument(deps, previous);
      await removeDocument(deps, document);
      return { document, previous };
    },
    search: async (scope, question, limit, signal, versions) =>
      retrieve({ ...(await depsFor(scope)), languages: (documents) => languages.each(documents) }, tenantKey(scope), question, limit, signal, versions),
    async recover() {
      const unfinished = await deps.registry.listUnfinished(deps.store.key);
      for (const record of unfinished) {
        await removeDocument(deps, record);
        deps.logger.warn(
          { documentId: record.id, file: record.name, tenant: record.tenant, was: record.status },
          record.status === 'indexing' ? 'rolled back an ingest interrupted by a restart' : 'finished a deletion interrupted by a restart',
        );
      }
      await upgradeStored(deps);
      return unfinished.length;
    },
  };
}

/** Passages an older Docent stored: tokenized again by this tokenizer (their term statistics with them), then statistics for documents still without. */
async function upgradeStored(deps: IngestDeps): Promise<void> {
  await retokenizeStore(deps);
  await backfillTerms(deps);
}

/** Term statistics for documents an older Docent indexed, read back from their stored passages. */
async function backfillTerms(deps: IngestDeps): Promise<void> {
  for (const record of await deps.registry.listWithoutTerms(deps.store.key)) {
    try {
      const terms = new Map<string, number>();
      for (const tokens of await deps.store.passageTokens(record.tenant, record.id)) countTerms(terms, tokens);
      await deps.registry.saveTerms(record.id, terms);
    } catch (error) {
      deps.logger.warn({ err: error, documentId: record.id, file: record.name }, 'could not compute term statistics for a document; its channel will not refuse unrelated questions until it is re-indexed');
    }
  }
}
