import { describe, expect, it } from 'vitest';
import { chunkId } from '../../../../src/core/knowledge/ingest/ids.js';
import { documentTerms } from '../../../../src/core/lib/tokenizer.js';
import { QdrantStore } from '../../../../src/core/providers/storage/qdrant/qdrant-store.js';
import { CONTRACT_DIMENSIONS, describeVectorStoreContract, makeChunk } from '../../../contract/vector-store.contract.js';
import { startFakeQdrant } from '../../../fakes/qdrant-fake.js';
import { qdrantSpecPath } from '../../../helpers/shared.js';

const embedding = { model: 'fake-embedding', dimensions: CONTRACT_DIMENSIONS };

if (qdrantSpecPath) {
  const spec = qdrantSpecPath;
  describeVectorStoreContract('Qdrant (fake validated against the OpenAPI spec)', async () => {
    const fake = await startFakeQdrant(spec);
    return {
      store: new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'contract', embedding, minSimilarity: 0, timeoutMs: 5000 }),
      cleanup: async () => {
        expect(fake.rejected).toEqual([]);
        await fake.close();
      },
    };
  });
}

const realUrl = process.env.QDRANT_URL;
if (realUrl) {
  describeVectorStoreContract(`real Qdrant at ${realUrl}`, async () => {
    const prefix = `contract${Date.now()}`;
    const store = new QdrantStore({ url: realUrl, apiKey: process.env.QDRANT_API_KEY, collectionPrefix: prefix, embedding, minSimilarity: 0, timeoutMs: 10000 });
    return {
      store,
      cleanup: async () => {
        await fetch(`${realUrl}/collections/${store.collection}`, { method: 'DELETE', headers: process.env.QDRANT_API_KEY ? { 'api-key': process.env.QDRANT_API_KEY } : {} });
      },
    };
  });
} else {
  describe.skip('VectorStore contract: real Qdrant — set QDRANT_URL to run it against a server', () => {
    it('runs when QDRANT_URL is set', () => undefined);
  });
}

describe.runIf(qdrantSpecPath)('QdrantStore against the fake', () => {
  const spec = qdrantSpecPath ?? '';

  it('creates named dense + sparse (IDF) vectors and a tenant index, and writes with wait=true', async () => {
    const fake = await startFakeQdrant(spec);
    try {
      const store = new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'docent', embedding, minSimilarity: 0, timeoutMs: 5000 });
      await store.init();
      await store.upsert([makeChunk('slack:W:C', 'd1', 0, 'hello world')]);
      const create = fake.requests.find((r) => r.method === 'PUT' && r.path === `/collections/${store.collection}`);
      expect(create?.body).toEqual({
        vectors: { dense: { size: CONTRACT_DIMENSIONS, distance: 'Cosine' } },
        sparse_vectors: { lexical: { modifier: 'idf' } },
      });
      const indexes = fake.requests.filter((r) => r.path.endsWith('/index')).map((r) => r.body);
      expect(indexes).toContainEqual({ field_name: 'tenant', field_schema: { type: 'keyword', is_tenant: true } });
      const upsert = fake.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/points'));
      expect(upsert?.query.get('wait')).toBe('true');
      expect(store.collection).toBe('docent_fake-embedding_32');
      // Initialising again (a restart) reuses the collection.
      await new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'docent', embedding, minSimilarity: 0, timeoutMs: 5000 }).init();
      expect(fake.rejected).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('tokenizes passages again through the update-vectors API: only their lexical vectors, with wait=true; dense vectors and payload stay', async () => {
    const fake = await startFakeQdrant(spec);
    try {
      const store = new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'docent', embedding, minSimilarity: 0, timeoutMs: 5000 });
      await store.init();
      await store.upsert([makeChunk('slack:W:C', 'd1', 0, 'ferries inspected'), makeChunk('slack:W:C', 'd1', 1, 'harbour cranes')]);
      const points = () => fake.collections.get(store.collection)?.points;
      const before = structuredClone(points()?.get(chunkId('d1', 1)));
      await store.retokenize('slack:W:C', 'd1', [{ ordinal: 1, tokens: 'harbour crane', sparse: documentTerms(['harbour', 'crane']) }]);
      const updates = fake.requests.filter((r) => r.method === 'PUT' && r.path === `/collections/${store.collection}/points/vectors`);
      expect(updates.map((r) => r.query.get('wait'))).toEqual(['true']);
      expect(updates[0]?.body).toEqual({ points: [{ id: chunkId('d1', 1), vector: { lexical: documentTerms(['harbour', 'crane']) } }] });
      const after = points()?.get(chunkId('d1', 1));
      expect(after?.vectors.lexical).toEqual(documentTerms(['harbour', 'crane']));
      expect(after?.vectors.dense).toEqual(before?.vectors.dense);
      expect(after?.payload).toEqual(before?.payload);
      expect(fake.rejected).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('searches hybrid through one Query API call with prefetch and RRF', async () => {
    const fake = await startFakeQdrant(spec);
    try {
      const store = new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'docent', embedding, minSimilarity: 0.1, timeoutMs: 5000 });
      await store.init();
      await store.upsert([makeChunk('slack:W:C', 'd1', 0, 'hello world')]);
      const { makeQuery } = await import('../../../contract/vector-store.contract.js');
      await store.search(makeQuery('slack:W:C', ['d1'], 'hello'));
      const query = fake.requests.find((r) => r.path.endsWith('/points/query'));
      expect(query?.body).toMatchObject({
        prefetch: [
          { using: 'dense', limit: 20, score_threshold: 0.1 },
          { using: 'lexical', limit: 20 },
        ],
        query: { rrf: { k: 60 } },
        filter: { must: [{ key: 'tenant', match: { value: 'slack:W:C' } }, { key: 'document_id', match: { any: ['d1'] } }] },
      });
    } finally {
      await fake.close();
    }
  });

  it('the fake rejects what Qdrant rejects: non-UUID string ids, unknown vector names, missing collections', async () => {
    const fake = await startFakeQdrant(spec);
    try {
      const put = (path: string, body: unknown) =>
        fetch(`${fake.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await put('/collections/c', { vectors: { dense: { size: 2, distance: 'Cosine' } } })).status).toBe(200);
      const badId = await put('/collections/c/points?wait=true', { points: [{ id: 'chunk-1', vector: { dense: [1, 0] } }] });
      expect(badId.status).toBe(400);
      const badName = await put('/collections/c/points?wait=true', { points: [{ id: 1, vector: { sparse: [1, 0] } }] });
      expect(badName.status).toBe(400);
      expect(JSON.stringify(await badName.json())).toContain('Not existing vector name');
      const missing = await put('/collections/nope/points?wait=true', { points: [{ id: 1, vector: { dense: [1, 0] } }] });
      expect(missing.status).toBe(404);
      const schemaViolation = await put('/collections/c/points?wait=true', { points: [{ id: 1.5, vector: { dense: [1, 0] } }] });
      expect(schemaViolation.status).toBe(400);
      const badQuery = await fetch(`${fake.url}/collections/c/points/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: { fusion: 'bogus' }, limit: 'ten' }),
      });
      expect(badQuery.status).toBe(400);
      expect(fake.rejected.length).toBeGreaterThan(0);
    } finally {
      await fake.close();
    }
  });

  it('turns an unreachable server and server errors into clear provider errors', async () => {
    const unreachable = new QdrantStore({ url: 'http://127.0.0.1:9', apiKey: undefined, collectionPrefix: 'docent', embedding, minSimilarity: 0, timeoutMs: 2000 });
    await expect(unreachable.init()).rejects.toMatchObject({ code: 'provider_unreachable', userMessage: expect.stringContaining('QDRANT_URL') });

    const fake = await startFakeQdrant(spec);
    try {
      const store = new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'docent', embedding, minSimilarity: 0, timeoutMs: 5000 });
      await store.init();
      fake.failNext(/points$/, 1, 503);
      await expect(store.upsert([makeChunk('slack:W:C', 'd1', 0, 'x y z')])).rejects.toMatchObject({ retryable: true, status: 503 });
    } finally {
      await fake.close();
    }
  });

  it('refuses a collection whose dense size differs from the configured dimensions', async () => {
    const fake = await startFakeQdrant(spec);
    try {
      await new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'p', embedding, minSimilarity: 0, timeoutMs: 5000 }).init();
      const collection = fake.collections.get('p_fake-embedding_32');
      if (collection) collection.dense.dense.size = 8;
      await expect(
        new QdrantStore({ url: fake.url, apiKey: undefined, collectionPrefix: 'p', embedding, minSimilarity: 0, timeoutMs: 5000 }).init(),
      ).rejects.toMatchObject({ code: 'qdrant_schema_mismatch' });
    } finally {
      await fake.close();
    }
  });
});
