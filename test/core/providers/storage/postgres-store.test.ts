import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgPool } from '../../../../src/core/providers/storage/postgres/database.js';
import { PostgresStore } from '../../../../src/core/providers/storage/sql/passage-store.js';
import { CONTRACT_DIMENSIONS, describeVectorStoreContract, makeChunk, makeQuery } from '../../../contract/vector-store.contract.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';

const unavailable = postgresUnavailable();
const embedding = { model: 'fake-embedding', dimensions: CONTRACT_DIMENSIONS };

if (unavailable) {
  console.warn(`[notice] ${unavailable}.`);
  describe.skip('PostgresStore', () => it('needs PostgreSQL', () => undefined));
} else {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.stop());

  describeVectorStoreContract('PostgreSQL', async () => {
    const pool = await openPostgres(await server.createDatabase());
    return { store: new PostgresStore(pool, embedding, { minSimilarity: 0 }, 'test'), cleanup: () => pool.end() };
  });

  describe('PostgresStore across replicas (two stores on one database)', () => {
    const tenant = 'slack:W1:C-shared';
    const ids = ['d1', 'd2', 'd3'];
    let pools: PgPool[] = [];
    afterAll(async () => {
      await Promise.all(pools.map((p) => p.end()));
      pools = [];
    });
    const replica = async (url: string) => {
      const pool = await openPostgres(url);
      pools.push(pool);
      return new PostgresStore(pool, embedding, { minSimilarity: 0, buildBatch: 2 }, 'test');
    };

    it('passages written on one replica are found on the other at once, and a deletion there is never found again', async () => {
      const url = await server.createDatabase();
      const [one, two] = [await replica(url), await replica(url)];
      await one.upsert([makeChunk(tenant, 'd1', 0, 'Rivers and lakes of Finland hold fresh water.')]);
      expect((await two.search(makeQuery(tenant, ids, 'lakes Finland'))).map((h) => h.documentId)).toEqual(['d1']);
      // Two's index is cached now: new passages from one join it as they are committed.
      await one.upsert([makeChunk(tenant, 'd2', 0, 'Lakes freeze in winter across Finland and Sweden.'), makeChunk(tenant, 'd2', 1, 'Sweden has lakes too.')]);
      expect((await two.search(makeQuery(tenant, ids, 'lakes Sweden'))).map((h) => h.documentId).sort()).toEqual(['d2', 'd2', 'd1'].sort());
      await one.deleteDocument(tenant, 'd2');
      expect((await two.search(makeQuery(tenant, ids, 'lakes Sweden'))).map((h) => h.documentId)).toEqual(['d1']);
      // Rewriting passages (same ids) on one replica rebuilds the other's index: nothing counted twice.
      await one.upsert([makeChunk(tenant, 'd1', 0, 'Deserts have few lakes.')]);
      const hits = await two.search(makeQuery(tenant, ids, 'deserts'));
      expect(hits.map((h) => h.text)).toEqual(['Deserts have few lakes.']);
    });

    it('an index kept up to date answers exactly like one built afresh', async () => {
      const url = await server.createDatabase();
      const [writer, cached] = [await replica(url), await replica(url)];
      await writer.upsert([makeChunk(tenant, 'd1', 0, 'Rivers and lakes of Finland hold fresh water.'), makeChunk(tenant, 'd1', 1, 'Finland has many lakes.')]);
      await cached.search(makeQuery(tenant, ids, 'lakes'));
      await writer.upsert([makeChunk(tenant, 'd2', 0, 'Lakes freeze in winter across Finland and Sweden.')]);
      await writer.upsert([makeChunk(tenant, 'd3', 0, 'Deserts have few lakes.')]);
      const fresh = await replica(url);
      for (const question of ['lakes Finland', 'winter freeze', 'fresh water rivers', 'deserts']) {
        for (const withVector of [false, true]) {
          const a = await cached.search(makeQuery(tenant, ids, question, withVector));
          const b = await fresh.search(makeQuery(tenant, ids, question, withVector));
          expect(a.map((h) => [h.chunkId, h.score])).toEqual(b.map((h) => [h.chunkId, h.score]));
        }
      }
    });

    it('concurrent searches on a changing channel never add a passage twice', async () => {
      const url = await server.createDatabase();
      const [writer, reader] = [await replica(url), await replica(url)];
      const writes = Array.from({ length: 6 }, (_, i) => writer.upsert([makeChunk(tenant, `d${i}`, 0, `Harbour report number ${i} about ferries.`)]));
      const searches = Array.from({ length: 12 }, () => reader.search(makeQuery(tenant, ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'], 'harbour ferries', false, 10)));
      await Promise.all([...writes, ...searches]);
      const hits = await reader.search(makeQuery(tenant, ['d0', 'd1', 'd2', 'd3', 'd4', 'd5'], 'harbour ferries', false, 10));
      expect(hits.map((h) => h.documentId).sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
      expect(new Set(hits.map((h) => h.chunkId)).size).toBe(hits.length);
    });
  });
}
