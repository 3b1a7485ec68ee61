import { DocentError } from '../../ports/errors.js';
import type { RetokenizedPassage, StoredPassage } from '../../ports/ports.js';
import type { DocumentRecord } from '../../ports/types.js';
import type { IngestDeps } from '../ingest/ingest.js';
import { documentTerms, TOKENIZER_VERSION } from '../../lib/tokenizer.js';
import { countTerms, DocumentWording } from '../ingest/page-writer.js';

/** Documents listed per step, and passages written per store call: memory stays bounded however large the store. */
const DOCUMENTS_PER_STEP = 100;
const PASSAGES_PER_WRITE = 500;

/** What the registry records the tokenizer version under. */
const SUBJECT = 'tokenizer';

export type RetokenizeDeps = Pick<IngestDeps, 'registry' | 'store' | 'logger' | 'limits'>;

export interface Retokenized {
  /** The version the passages had been tokenized with (1 when none was recorded). */
  readonly from: number;
  readonly documents: number;
  readonly passages: number;
  /** Documents that could not be done (each logged); the work is done again at the next start. */
  readonly failed: number;
  readonly seconds: number;
}

/**
 * Passages an older Docent stored were tokenized by an older tokenizer: questions, tokenized by
 * this one, would miss them. At start, when the tokenizer version recorded for the store is not
 * TOKENIZER_VERSION (none recorded: version 1), each ready document's passages (current and
 * previous versions, every channel) are read back in reading order and tokenized again as an
 * ingest does (DocumentWording: the document's language and abbreviations, learnt page batch by
 * page batch), their tokens and sparse vectors replaced (store.retokenize, which also retires the
 * channel's cached indexes and saved snapshots) and the document's term statistics saved again;
 * then the version is recorded. Stopped midway (or a document failed), the version stays
 * unrecorded and the next start does it all again: tokenizing is deterministic, so doing a
 * document twice gives the same tokens. Replicas sharing PostgreSQL do it once
 * (registry.migrateStore): the others wait, then find it done. Returns undefined when the store's
 * passages were tokenized with this version already.
 */
export async function retokenizeStore(deps: RetokenizeDeps): Promise<Retokenized | undefined> {
  let result: Retokenized | undefined;
  await deps.registry.migrateStore(deps.store.key, SUBJECT, TOKENIZER_VERSION, async (recorded) => {
    const started = performance.now();
    const tally = { documents: 0, passages: 0, failed: 0 };
    for (let after = ''; ; ) {
      const documents = await deps.registry.listReadyAfter(deps.store.key, after, DOCUMENTS_PER_STEP);
      for (const document of documents) {
        try {
          tally.passages += await retokenizeDocument(deps, document);
          tally.documents++;
        } catch (error) {
          if (error instanceof DocentError && error.code === 'provider_unreachable') {
            // Nothing else can be done now either; all of it is tried again at the next start.
            deps.logger.warn({ err: error, store: deps.store.key }, 'could not reach the store to tokenize stored passages again; tried again at the next start');
            return false;
          }
          if (await stillReady(deps, document)) {
            tally.failed++;
            deps.logger.warn({ err: error, documentId: document.id, file: document.name, tenant: document.tenant }, 'could not tokenize a document’s passages again; it is tried again at the next start');
          }
        }
      }
      const last = documents[documents.length - 1];
      if (!last || documents.length < DOCUMENTS_PER_STEP) break;
      after = last.id;
    }
    result = { from: recorded ?? 1, ...tally, seconds: Number(((performance.now() - started) / 1000).toFixed(3)) };
    // A new store has nothing to tell.
    if (tally.documents + tally.failed > 0) deps.logger.info({ store: deps.store.key, ...result, to: TOKENIZER_VERSION }, 'tokenized stored passages again for the current tokenizer');
    return tally.failed === 0;
  });
  return result;
}

/** Tokenizes one document's passages again and saves its term statistics; returns how many passages it has. */
async function retokenizeDocument(deps: RetokenizeDeps, document: DocumentRecord): Promise<number> {
  const passages = await deps.store.passages(document.tenant, document.id);
  const wording = new DocumentWording();
  const terms = new Map<string, number>();
  let pending: RetokenizedPassage[] = [];
  for (const batch of pageBatches(passages, deps.limits.pageBatch)) {
    wording.learn(batch);
    for (const passage of batch) {
      const tokens = wording.tokens(passage.heading, passage.text);
      countTerms(terms, tokens);
      pending.push({ ordinal: passage.ordinal, tokens: tokens.join(' '), sparse: documentTerms(tokens) });
      if (pending.length >= PASSAGES_PER_WRITE) {
        await deps.store.retokenize(document.tenant, document.id, pending);
        pending = [];
      }
    }
  }
  await deps.store.retokenize(document.tenant, document.id, pending);
  await deps.registry.saveTerms(document.id, terms);
  return passages.length;
}

/**
 * A document's passages grouped as an ingest reads its pages: `pagesPerBatch` pages at a time
 * (PDF_PAGE_BATCH), for DocumentWording to learn from in the same steps.
 */
function pageBatches(passages: readonly StoredPassage[], pagesPerBatch: number): StoredPassage[][] {
  const batches: StoredPassage[][] = [];
  let batchOf: number | undefined;
  for (const passage of passages) {
    const batch = Math.floor((passage.page - 1) / pagesPerBatch);
    if (batch !== batchOf) batches.push([]);
    batchOf = batch;
    batches[batches.length - 1]?.push(passage);
  }
  return batches;
}

/** A document forgotten (or replaced) while its passages were being read is no failure. */
async function stillReady(deps: RetokenizeDeps, document: DocumentRecord): Promise<boolean> {
  try {
    return (await deps.registry.get(document.id))?.status === 'ready';
  } catch {
    return true;
  }
}
