import type { DocumentRegistry, Embedder, Logger, VectorStore } from '../ports.js';
import type { DocumentRecord, SearchHit } from '../types.js';
import { queryTerms, tokenize } from './lexical.js';

export interface RetrievalDeps {
  readonly registry: DocumentRegistry;
  readonly store: VectorStore;
  readonly embedder: Embedder | undefined;
  readonly logger: Logger;
}

export interface Retrieval {
  readonly hits: SearchHit[];
  /** The tenant's ready documents, the only ones the search could return. */
  readonly documents: DocumentRecord[];
  readonly mode: 'hybrid' | 'lexical';
  readonly tokens: string[];
}

/**
 * Hybrid retrieval for one tenant: BM25 terms plus, when an embedder is configured, a dense
 * query vector, fused by reciprocal rank. Only the tenant's fully indexed documents can match.
 * If embedding the question fails, it degrades to lexical search rather than failing the user.
 */
export async function retrieve(deps: RetrievalDeps, tenant: string, question: string, limit: number, signal?: AbortSignal): Promise<Retrieval> {
  const documents = deps.registry.listReady(tenant, deps.store.key);
  const tokens = tokenize(question);
  if (documents.length === 0) return { hits: [], documents, mode: 'lexical', tokens };

  let vector: Float32Array | undefined;
  if (deps.embedder) {
    try {
      vector = await deps.embedder.embedQuery(question, signal);
    } catch (error) {
      deps.logger.warn({ err: error }, 'embedding the question failed; using lexical search only');
    }
  }
  const hits = await deps.store.search({
    tenant,
    documentIds: documents.map((d) => d.id),
    tokens: tokens.join(' '),
    sparse: queryTerms(tokens),
    vector,
    limit,
  });
  return { hits, documents, mode: vector ? 'hybrid' : 'lexical', tokens };
}
