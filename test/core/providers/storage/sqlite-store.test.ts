import { openSqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { SqliteStore } from '../../../../src/core/providers/storage/sql/passage-store.js';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DIMENSIONS, describeVectorStoreContract, makeChunk, makeQuery } from '../../../contract/vector-store.contract.js';
import { tempDir } from '../../../helpers/core.js';

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

  it('builds a channel’s index in steps with the event loop free between them, and answers like one built at once', async () => {
    const db = openSqliteDatabase(tempDir());
    const texts = Array.from({ length: 250 }, (_, i) => `Report ${i} on ${['lakes of Finland', 'winter freeze', 'fresh water rivers', 'deserts and dunes'][i % 4]}, section ${i}.`);
    const docs = Array.from({ length: 25 }, (_, i) => `doc${i}`);
    const writer = new SqliteStore(db, embedding, { minSimilarity: 0 }, 'test');
    await writer.upsert(texts.map((text, i) => makeChunk(tenant, docs[i % 25], i, text)));
    const stepwise = new SqliteStore(db, embedding, { minSimilarity: 0, buildBatch: 40 }, 'test');
    const order: string[] = [];
    const searching = stepwise.search(makeQuery(tenant, docs, 'lakes Finland')).then(() => order.push('search'));
    const concurrent = stepwise.search(makeQuery(tenant, docs, 'deserts'));
    setImmediate(() => order.push('other work'));
    await Promise.all([searching, concurrent]);
    expect(order).toEqual(['other work', 'search']);
    const atOnce = new SqliteStore(db, embedding, { minSimilarity: 0 }, 'test');
    for (const question of questions) {
      for (const withVector of [false, true]) {
        const a = await stepwise.search(makeQuery(tenant, docs, question, withVector, 8));
        const b = await atOnce.search(makeQuery(tenant, docs, question, withVector, 8));
        expect(a.map((h) => [h.chunkId, h.score])).toEqual(b.map((h) => [h.chunkId, h.score]));
      }
    }
    db.close();
  });

  it('passages added while an index is being built are in it; a build overtaken by a rewrite is not kept', async () => {
    const db = openSqliteDatabase(tempDir());
    const store = new SqliteStore(db, embedding, { minSimilarity: 0, buildBatch: 2 }, 'test');
    await store.upsert(['Lakes one.', 'Lakes two.', 'Lakes three.', 'Lakes four.', 'Lakes five.'].map((text, i) => makeChunk(tenant, 'd1', i, text)));
    const building = store.search(makeQuery(tenant, ['d1', 'd2'], 'lakes', false, 20));
    await store.upsert([makeChunk(tenant, 'd2', 0, 'Lakes six, added during the build.')]);
    expect((await building).map((h) => h.documentId)).toContain('d2');
    expect((await store.search(makeQuery(tenant, ['d1', 'd2'], 'lakes', false, 20))).length).toBe(6);

    // A passage rewritten (same id, new text) after the build read it: that build is not kept.
    const fresh = new SqliteStore(db, embedding, { minSimilarity: 0, buildBatch: 2 }, 'test');
    const rebuilding = fresh.search(makeQuery(tenant, ['d1', 'd2'], 'lakes', false, 20));
    await new Promise<void>((resolve) => setImmediate(resolve));
    await fresh.upsert([makeChunk(tenant, 'd1', 0, 'Volcanoes one.')]);
    await rebuilding;
    expect((await fresh.search(makeQuery(tenant, ['d1', 'd2'], 'volcanoes', false, 20))).map((h) => h.text)).toEqual(['Volcanoes one.']);
    db.close();
  });
});
