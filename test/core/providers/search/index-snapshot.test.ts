import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorStore } from '../../../../src/core/ports/ports.js';
import { openPostgres } from '../../../../src/core/providers/storage/postgres/database.js';
import { IndexSnapshots } from '../../../../src/core/providers/search/index-snapshot.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { PostgresStore, SqliteStore } from '../../../../src/core/providers/storage/sql/passage-store.js';
import { documentTerms, tokenize } from '../../../../src/core/lib/tokenizer.js';
import { CONTRACT_DIMENSIONS, makeChunk, makeQuery } from '../../../contract/vector-store.contract.js';
import { tempDir } from '../../../helpers/core.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';

// A restart loads a channel's saved index instead of rebuilding it, and only when the saved one
// holds exactly what storage holds: same epoch, same rows, same embedding.

const tenant = 'slack:T1:C-snap';
const embedding = { model: 'fake-embedding', dimensions: CONTRACT_DIMENSIONS };
const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];
const TEXTS = [
  ['Rivers and lakes of Finland hold fresh water.', 'Finland has many lakes.', 'The lakes freeze in January.'],
  ['Deserts have few lakes and little rain.', 'Dunes move with the wind.'],
  ['Mountain lakes are cold all year.', 'Glaciers feed the mountain rivers.', 'Snow melts in May.'],
];
const questions = ['lakes Finland', 'winter freeze', 'mountain rivers', 'deserts rain'];

interface Opened {
  readonly store: VectorStore;
  readonly snapshots: IndexSnapshots;
}

/** The same storage opened again as a restart would, with the snapshot folder `dir`. */
type Reopen = (dir: string, model?: string) => Promise<Opened>;

async function answers(store: VectorStore, documents = ids) {
  const all: unknown[] = [];
  for (const question of questions) for (const withVector of [false, true]) all.push((await store.search(makeQuery(tenant, documents, question, withVector))).map((h) => [h.chunkId, h.score]));
  return all;
}

function describeSnapshots(name: string, open: () => Promise<{ reopen: Reopen; close: () => Promise<void> }>, unavailable?: string) {
  describe.skipIf(unavailable !== undefined)(`channel index snapshots (${name})`, () => {
    let reopen: Reopen;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ reopen, close } = await open());
    });
    afterAll(() => close?.());

    it('a restart loads the saved index, answers exactly as a rebuild does, and reads only what came after it', async () => {
      const dir = tempDir();
      const first = await reopen(dir);
      for (const [d, texts] of TEXTS.slice(0, 2).entries()) await first.store.upsert(texts.map((text, i) => makeChunk(tenant, ids[d], i, text)));
      const built = await answers(first.store);
      await first.store.close();
      expect(first.snapshots.counts).toMatchObject({ loaded: 0, saved: 1 });

      const second = await reopen(dir);
      expect(await answers(second.store)).toEqual(built);
      expect(second.snapshots.counts).toMatchObject({ loaded: 1, refused: 0 });
      // Passages added after the snapshot are read on top of it.
      await second.store.upsert(TEXTS[2].map((text, i) => makeChunk(tenant, ids[2], i, text)));
      await second.store.close();
      const third = await reopen(dir);
      const rebuilt = await reopen(tempDir());
      const withNew = await answers(third.store);
      expect(third.snapshots.counts.loaded).toBe(1);
      expect(withNew).toEqual(await answers(rebuilt.store));
      expect(JSON.stringify(withNew)).toContain(`${ids[2]}`);
      await third.store.close();
      await rebuilt.store.close();
    });

    it('a forgotten document moves the epoch: the saved index is refused and the channel rebuilt without it', async () => {
      const dir = tempDir();
      const first = await reopen(dir);
      await first.store.upsert(TEXTS[0].map((text, i) => makeChunk(tenant, 'f1', i, text)));
      await first.store.upsert(TEXTS[1].map((text, i) => makeChunk(tenant, 'f2', i, text)));
      await first.store.search(makeQuery(tenant, ['f1', 'f2'], 'lakes'));
      await first.store.close();
      await first.store.deleteDocument(tenant, 'f1');
      const second = await reopen(dir);
      const hits = await second.store.search(makeQuery(tenant, ['f1', 'f2'], 'lakes', true, 10));
      expect(second.snapshots.counts).toMatchObject({ loaded: 0, refused: 1 });
      expect(new Set(hits.map((h) => h.documentId))).toEqual(new Set(['f2']));
      await second.store.close();
    });

    it('passages tokenized again move the epoch: the index saved with their old tokens is refused', async () => {
      const dir = tempDir();
      const first = await reopen(dir);
      // Stored as an older Docent did: plain lower-case words, no stemming.
      const plain = (text: string) => text.toLowerCase().match(/\p{L}+/gu) ?? [];
      await first.store.upsert(TEXTS[0].map((text, i) => ({ ...makeChunk(tenant, 'r1', i, text), tokens: plain(text).join(' '), sparse: documentTerms(plain(text)) })));
      const question = makeQuery(tenant, ['r1'], 'frozen lake', false);
      expect(await first.store.search(question)).toEqual([]);
      await first.store.close();
      expect(first.snapshots.counts.saved).toBe(1);

      const migrating = await reopen(dir);
      await migrating.store.retokenize(tenant, 'r1', TEXTS[0].map((text, ordinal) => ({ ordinal, tokens: tokenize(text).join(' '), sparse: documentTerms(tokenize(text)) })));
      await migrating.store.close();
      const after = await reopen(dir);
      const hits = await after.store.search(question);
      expect(after.snapshots.counts).toMatchObject({ loaded: 0, refused: 1 });
      expect(hits.map((h) => h.text).sort()).toEqual([...TEXTS[0]].sort());
      await after.store.close();
    });

    it('a damaged snapshot or one made with another embedding model is refused; the channel is rebuilt', async () => {
      const dir = tempDir();
      const first = await reopen(dir);
      await first.store.upsert(TEXTS[0].map((text, i) => makeChunk(tenant, 'g1', i, text)));
      const built = await first.store.search(makeQuery(tenant, ['g1'], 'lakes Finland'));
      await first.store.close();
      const other = await reopen(dir, 'another-model');
      await other.store.search(makeQuery(tenant, ['g1'], 'lakes Finland'));
      expect(other.snapshots.counts).toMatchObject({ loaded: 0, refused: 1 });
      await other.store.close();

      for (const file of fs.readdirSync(dir)) fs.truncateSync(path.join(dir, file), 200);
      const damaged = await reopen(dir);
      const hits = await damaged.store.search(makeQuery(tenant, ['g1'], 'lakes Finland'));
      expect(damaged.snapshots.counts).toMatchObject({ loaded: 0, refused: 1 });
      expect(hits.map((h) => h.chunkId)).toEqual(built.map((h) => h.chunkId));
      await damaged.store.close();
    });
  });
}

describeSnapshots('SQLite', async () => {
  const databases: SqliteDatabase[] = [];
  const db = openSqliteDatabase(tempDir());
  databases.push(db);
  return {
    reopen: async (dir, model = embedding.model) => {
      const snapshots = new IndexSnapshots(dir);
      return { store: new SqliteStore(db, { ...embedding, model }, { minSimilarity: 0, snapshots, snapshotMinRows: 2 }, 'test'), snapshots };
    },
    close: async () => {
      for (const d of databases) d.close();
    },
  };
});

const unavailable = postgresUnavailable();
let server: TestPostgres | undefined;
describeSnapshots(
  'PostgreSQL',
  async () => {
    server = await startTestPostgres();
    const pool = await openPostgres(await server.createDatabase());
    return {
      reopen: async (dir, model = embedding.model) => {
        const snapshots = new IndexSnapshots(dir);
        return { store: new PostgresStore(pool, { ...embedding, model }, { minSimilarity: 0, snapshots, snapshotMinRows: 2 }, 'test'), snapshots };
      },
      close: async () => {
        await pool.end();
        await server?.stop();
      },
    };
  },
  unavailable,
);
