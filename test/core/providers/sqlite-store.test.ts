import { openSqliteDatabase } from '../../../src/core/providers/sqlite-database.js';
import { SqliteStore } from '../../../src/core/providers/sqlite-store.js';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DIMENSIONS, describeVectorStoreContract, makeChunk, makeQuery } from '../../contract/vector-store.contract.js';
import { tempDir } from '../../helpers/core.js';

describeVectorStoreContract('SQLite', async () => {
  const db = openSqliteDatabase(tempDir());
  return {
    store: new SqliteStore(db, { model: 'fake-embedding', dimensions: CONTRACT_DIMENSIONS }, { minSimilarity: 0 }, 'test'),
    cleanup: async () => {
      db.close();
    },
  };
});

describe('SqliteStore channel index', () => {
  const embedding = { model: 'fake-embedding', dimensions: CONTRACT_DIMENSIONS };
  const tenant = 'console:local:general';
  const ids = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];
  const questions = ['lakes Finland', 'winter freeze', 'fresh water rivers', 'deserts'];

  it('new passages join a cached index, which then answers exactly like one rebuilt from the database', async () => {
    const db = openSqliteDatabase(tempDir());
    const store = new SqliteStore(db, embedding, { minSimilarity: 0 }, 'test');
    await store.upsert([makeChunk(tenant, 'd1', 0, 'Rivers and lakes of Finland hold fresh water.'), makeChunk(tenant, 'd1', 1, 'Finland has many lakes.')]);
    await store.search(makeQuery(tenant, ids, 'lakes')); // builds and caches the index
    await store.upsert([makeChunk(tenant, 'd2', 0, 'Lakes freeze in winter across Finland and Sweden.')]);
    await store.upsert([makeChunk(tenant, 'd3', 0, 'Deserts have few lakes.')]);
    const fresh = new SqliteStore(db, embedding, { minSimilarity: 0 }, 'test');
    for (const question of questions) {
      for (const withVector of [false, true]) {
        const cached = await store.search(makeQuery(tenant, ids, question, withVector));
        const rebuilt = await fresh.search(makeQuery(tenant, ids, question, withVector));
        expect(cached.map((h) => [h.chunkId, h.score])).toEqual(rebuilt.map((h) => [h.chunkId, h.score]));
      }
    }
    db.close();
  });

  it('a deleted document disappears from a cached index at once', async () => {
    const db = openSqliteDatabase(tempDir());
    const store = new SqliteStore(db, embedding, { minSimilarity: 0 }, 'test');
    const texts = ['Lakes of Finland.', 'Winter lakes freeze.', 'Fresh water rivers.', 'Deserts and dunes.', 'Lakes and rivers.', 'Mountain lakes.'];
    await store.upsert(texts.map((text, i) => makeChunk(tenant, ids[i], 0, text)));
    await store.search(makeQuery(tenant, ids, 'lakes'));
    await store.deleteDocument(tenant, 'd1');
    for (const question of questions) {
      for (const withVector of [false, true]) {
        const hits = await store.search(makeQuery(tenant, ids, question, withVector, 10));
        expect(hits.every((h) => h.documentId !== 'd1')).toBe(true);
      }
    }
    // With a limit of 3, a deleted passage still ranked by the index would leave only two results.
    expect((await store.search(makeQuery(tenant, ids, 'lakes', false, 3))).map((h) => h.documentId).sort()).toEqual(['d2', 'd5', 'd6']);
    db.close();
  });
});
