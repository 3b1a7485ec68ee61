import { QdrantClient } from '@qdrant/js-client-rest';
import { tokenize } from '../../../lib/tokenizer.js';
import { ProviderError } from '../../../ports/errors.js';
import { statusOf, toQdrantError } from './qdrant-errors.js';
import type { ReachabilityWatch, RetokenizedPassage, StoredPassage, VectorStore } from '../../../ports/ports.js';
import type { SearchHit, SearchQuery, StoredChunk } from '../../../ports/types.js';
import { normaliseRrfScore, RRF_K } from '../../../lib/rrf.js';
import type { PassageFields } from '../passage-fields.js';

export interface QdrantStoreOptions {
  readonly url: string;
  readonly apiKey: string | undefined;
  readonly collectionPrefix: string;
  /** The embedder's model and size; undefined means lexical-only (sparse vectors alone). */
  readonly embedding: { readonly model: string; readonly dimensions: number } | undefined;
  readonly minSimilarity: number;
  readonly timeoutMs: number;
  /** Told when a call cannot reach Qdrant and when calls succeed (the outage monitor). */
  readonly watch?: ReachabilityWatch;
}

interface ChunkPayload extends PassageFields {
  readonly ocr?: boolean;
}

const DENSE = 'dense';
const LEXICAL = 'lexical';
const UPSERT_BATCH = 64;
/** Sparse vectors replaced per request (no dense vectors or payload: small). */
const UPDATE_BATCH = 256;

/**
 * Qdrant through @qdrant/js-client-rest: one collection per embedding model with named vectors
 * `dense` (cosine) and `lexical` (sparse, IDF modifier), a tenant payload index (`is_tenant`),
 * hybrid search via the Query API (prefetch + RRF), and `wait=true` writes so a finished ingest
 * is searchable at once.
 */
export class QdrantStore implements VectorStore {
  readonly key: string;
  readonly description: string;
  readonly collection: string;
  private readonly client: QdrantClient;

  constructor(private readonly options: QdrantStoreOptions) {
    const suffix = options.embedding
      ? `${options.embedding.model}_${options.embedding.dimensions}`.replace(/[^a-zA-Z0-9_-]/g, '-')
      : 'lexical';
    this.collection = `${options.collectionPrefix}_${suffix}`;
    this.key = `qdrant:${this.collection}`;
    this.description = `Qdrant at ${options.url}, collection ${this.collection}`;
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      timeout: options.timeoutMs,
      checkCompatibility: false,
    });
  }

  async init(): Promise<void> {
    await this.call('check the collection', async () => {
      const { exists } = await this.client.collectionExists(this.collection);
      if (exists) {
        await this.verifyCollection();
        return;
      }
      try {
        await this.client.createCollection(this.collection, {
          vectors: this.options.embedding ? { [DENSE]: { size: this.options.embedding.dimensions, distance: 'Cosine' } } : {},
          sparse_vectors: { [LEXICAL]: { modifier: 'idf' } },
        });
      } catch (error) {
        // Another Docent instance may have created it a moment ago.
        if (statusOf(error) !== 409) throw error;
      }
      await this.client.createPayloadIndex(this.collection, {
        field_name: 'tenant',
        field_schema: { type: 'keyword', is_tenant: true },
        wait: true,
      });
      await this.client.createPayloadIndex(this.collection, {
        field_name: 'document_id',
        field_schema: 'keyword',
        wait: true,
      });
    });
  }

  async upsert(chunks: readonly StoredChunk[]): Promise<void> {
    for (let i = 0; i < chunks.length; i += UPSERT_BATCH) {
      const batch = chunks.slice(i, i + UPSERT_BATCH);
      await this.call('store chunks', () =>
        this.client.upsert(this.collection, {
          wait: true,
          points: batch.map((chunk) => {
            const payload: ChunkPayload = {
              tenant: chunk.tenant,
              document_id: chunk.documentId,
              file: chunk.file,
              ordinal: chunk.ordinal,
              page: chunk.page,
              heading: chunk.heading ?? null,
              text: chunk.text,
              ...(chunk.ocr ? { ocr: true } : {}),
            };
            const vector: Record<string, number[] | { indices: number[]; values: number[] }> = {
              [LEXICAL]: { indices: chunk.sparse.indices, values: chunk.sparse.values },
            };
            if (this.options.embedding && chunk.vector) vector[DENSE] = Array.from(chunk.vector);
            return { id: chunk.id, vector, payload: { ...payload } };
          }),
        }),
      );
    }
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.documentIds.length === 0) return [];
    const filter = {
      must: [
        { key: 'tenant', match: { value: query.tenant } },
        { key: 'document_id', match: { any: [...query.documentIds] } },
      ],
    };
    const depth = Math.max(query.limit * 4, 20);
    const sparse = query.sparse.indices.length > 0 ? { indices: query.sparse.indices, values: query.sparse.values } : undefined;
    const dense = this.options.embedding && query.vector ? Array.from(query.vector) : undefined;
    if (sparse === undefined && dense === undefined) return [];

    const lists = (sparse ? 1 : 0) + (dense ? 1 : 0);
    const response = await this.call('search', () => {
      if (lists === 2 && sparse && dense) {
        return this.client.query(this.collection, {
          prefetch: [
            { query: dense, using: DENSE, filter, limit: depth, score_threshold: this.options.minSimilarity },
            { query: sparse, using: LEXICAL, filter, limit: depth },
          ],
          query: { rrf: { k: RRF_K } },
          filter,
          limit: query.limit,
          with_payload: true,
        });
      }
      return this.client.query(this.collection, {
        query: sparse ?? dense,
        using: sparse ? LEXICAL : DENSE,
        filter,
        limit: query.limit,
        with_payload: true,
        ...(dense && !sparse ? { score_threshold: this.options.minSimilarity } : {}),
      });
    });

    return response.points.flatMap((point, rank) => {
      const payload = point.payload as Partial<ChunkPayload> | null | undefined;
      // Defence in depth: never return a point from another tenant, whatever the server did.
      if (!payload || payload.tenant !== query.tenant || !query.documentIds.includes(payload.document_id ?? '')) return [];
      const score = lists === 2 ? normaliseRrfScore(point.score, 2) : (RRF_K + 1) / (RRF_K + rank + 1);
      return [
        {
          chunkId: String(point.id),
          documentId: payload.document_id ?? '',
          file: payload.file ?? '',
          page: payload.page ?? 0,
          heading: payload.heading ?? undefined,
          text: payload.text ?? '',
          score,
          ...(payload.ocr ? { ocr: true } : {}),
        },
      ];
    });
  }

  async deleteDocument(tenant: string, documentId: string): Promise<void> {
    await this.call('delete a document', () =>
      this.client.delete(this.collection, {
        wait: true,
        filter: documentFilter(tenant, documentId),
      }),
    );
  }

  async countChunks(tenant: string, documentId: string): Promise<number> {
    const result = await this.call('count chunks', () =>
      this.client.count(this.collection, {
        exact: true,
        filter: documentFilter(tenant, documentId),
      }),
    );
    return result.count;
  }

  async bestSimilarity(query: SearchQuery): Promise<number | undefined> {
    if (!this.options.embedding || !query.vector || query.documentIds.length === 0) return undefined;
    const vector = Array.from(query.vector);
    const response = await this.call('search', () =>
      this.client.query(this.collection, {
        query: vector,
        using: DENSE,
        filter: { must: [{ key: 'tenant', match: { value: query.tenant } }, { key: 'document_id', match: { any: [...query.documentIds] } }] },
        limit: 1,
        with_payload: false,
      }),
    );
    return response.points[0]?.score;
  }

  async passages(tenant: string, documentId: string, limit?: number): Promise<StoredPassage[]> {
    const passages: StoredPassage[] = [];
    await this.scrollDocument(tenant, documentId, ['ordinal', 'page', 'heading', 'text'], (payload) => {
      passages.push({ ordinal: payload.ordinal ?? 0, page: payload.page ?? 1, heading: payload.heading ?? undefined, text: payload.text ?? '' });
    }, limit);
    // Qdrant scrolls in point id order: reading order is the ordinal's.
    return passages.sort((a, b) => a.ordinal - b.ordinal);
  }

  async passageTokens(tenant: string, documentId: string): Promise<string[][]> {
    const passages: string[][] = [];
    await this.scrollDocument(tenant, documentId, ['heading', 'text'], (payload) => passages.push(tokenize(`${payload.heading ?? ''} ${payload.text ?? ''}`)));
    return passages;
  }

  /**
   * The `lexical` sparse vectors of a document's points, found by ordinal (a scroll of the
   * document: its point ids), replaced with Qdrant's update-vectors API: payload and dense vectors stay.
   */
  async retokenize(tenant: string, documentId: string, passages: readonly RetokenizedPassage[]): Promise<void> {
    if (passages.length === 0) return;
    const idOf = new Map<number, string | number>();
    await this.scrollDocument(tenant, documentId, ['ordinal'], (payload, id) => {
      if (payload.ordinal !== undefined) idOf.set(payload.ordinal, id);
    });
    const points = passages.flatMap((passage) => {
      const id = idOf.get(passage.ordinal);
      return id === undefined ? [] : [{ id, vector: { [LEXICAL]: { indices: passage.sparse.indices, values: passage.sparse.values } } }];
    });
    for (let i = 0; i < points.length; i += UPDATE_BATCH) {
      const batch = points.slice(i, i + UPDATE_BATCH);
      await this.call("update passages' terms", () => this.client.updateVectors(this.collection, { wait: true, points: batch }));
    }
  }

  /** Every point of a document, page by page of Qdrant's scroll, with the payload fields asked for. */
  private async scrollDocument(tenant: string, documentId: string, fields: readonly (keyof ChunkPayload)[], each: (payload: Partial<ChunkPayload>, id: string | number) => void, most?: number): Promise<void> {
    let offset: string | number | undefined;
    let left = most ?? Infinity;
    do {
      const limit = Math.min(256, left);
      const page = await this.call("read a document's passages", () =>
        this.client.scroll(this.collection, { filter: documentFilter(tenant, documentId), limit, with_payload: [...fields], with_vector: false, ...(offset === undefined ? {} : { offset }) }),
      );
      for (const point of page.points) each((point.payload ?? {}) as Partial<ChunkPayload>, point.id);
      left -= page.points.length;
      const next = page.next_page_offset;
      offset = left > 0 && (typeof next === 'string' || typeof next === 'number') ? next : undefined;
    } while (offset !== undefined);
  }

  async close(): Promise<void> {}

  /** Resolves when Qdrant says it is ready to serve (its readiness endpoint); the outage monitor's probe. */
  async ready(): Promise<void> {
    await this.client.api().readyz({});
  }

  private async verifyCollection(): Promise<void> {
    const info = await this.client.getCollection(this.collection);
    const vectors = info.config.params.vectors;
    const expected = this.options.embedding?.dimensions;
    if (expected === undefined) return;
    const dense = vectors && typeof vectors === 'object' && DENSE in vectors ? (vectors as Record<string, { size?: number }>)[DENSE] : undefined;
    if (dense?.size !== expected) {
      throw new ProviderError(
        'Qdrant',
        `Qdrant collection "${this.collection}" exists but its "${DENSE}" vectors are not ${expected}-dimensional. ` +
          'Use another QDRANT_COLLECTION_PREFIX or delete the collection.',
        { retryable: false, code: 'qdrant_schema_mismatch' },
      );
    }
  }

  private async call<T>(what: string, task: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await task();
    } catch (error) {
      const failure = toQdrantError(error, this.options.url, what);
      if (failure.code === 'provider_unreachable') this.options.watch?.failed(error);
      throw failure;
    }
    this.options.watch?.succeeded();
    return result;
  }
}

function documentFilter(tenant: string, documentId: string) {
  return {
    must: [
      { key: 'tenant', match: { value: tenant } },
      { key: 'document_id', match: { value: documentId } },
    ],
  };
}
