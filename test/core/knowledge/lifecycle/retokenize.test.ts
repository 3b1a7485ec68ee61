import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../src/config.js';
import { composeCore } from '../../../../src/composition/compose-core.js';
import type { Core } from '../../../../src/core/index.js';
import { tokenize, TOKENIZER_VERSION } from '../../../../src/core/lib/tokenizer.js';
import type { RetokenizedPassage } from '../../../../src/core/ports/ports.js';
import { IndexSnapshots } from '../../../../src/core/providers/search/index-snapshot.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { SqliteStore } from '../../../../src/core/providers/storage/sql/passage-store.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from '../../../helpers/core.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../../helpers/postgres.js';
import pg from 'pg';

// Passages an older Docent stored carry an older tokenizer's tokens: at start they are tokenized
// again, once, exactly as an ingest would tokenize them now.

const here = scope('C-retok');
const HARBOUR = `# Harbour operations

The Write-Ahead Log (WAL) records every berth change before it is applied.

## Ferry inspections

Inspectors examined the ferries and their safety regulations. Staff read the e-mail notices daily.

## Recovery

After a power cut the WAL is replayed and the berths are assigned again.
`;
const HAFEN = `# Hafenbetrieb

Die Fährverbindungen wurden im Winter eingeschränkt, weil die Häfen vereist waren.
Die Inspektoren prüften die Sicherheitsvorschriften der Fähren gründlich und schrieben ausführliche Berichte über alle Häfen des Landes.
`;

/** The tokens an older Docent stored: plain lower-case words, no stemming, no compounds, no abbreviations. */
function oldTokens(heading: string | null, text: string): string[] {
  return `${heading ?? ''} ${text}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function countTerms(passages: readonly string[][]): Map<string, number> {
  const terms = new Map<string, number>();
  for (const tokens of passages) for (const token of new Set(tokens)) terms.set(token, (terms.get(token) ?? 0) + 1);
  return terms;
}

const RETOKENIZED = 'tokenized stored passages again for the current tokenizer';

describe('passages stored by an older tokenizer (SQLite)', () => {
  let dir: string;
  let db: SqliteDatabase;
  const snapshotDir = () => path.join(dir, 'snapshots');
  const opened: Core[] = [];

  /** A Docent on the same file, as a restart opens it (a channel's index is saved from its first passage on). */
  async function open() {
    const snapshots = new IndexSnapshots(snapshotDir());
    const store = new SqliteStore(db, undefined, { minSimilarity: 0.5, snapshots, snapshotMinRows: 1 }, 'test');
    const entries: { level: string; obj: object; msg?: string }[] = [];
    const core = await composeCore(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), memoryLogger(entries), { database: db, store, embedder: null });
    opened.push(core);
    return { core, entries, snapshots };
  }
  const tokensByChunk = () => db.prepare('SELECT id, tokens FROM chunks ORDER BY id').all() as { id: string; tokens: string }[];
  const terms = () => db.prepare('SELECT document_id, token, passages FROM document_terms ORDER BY document_id, token').all();
  const inspectionHits = async (core: Core) => (await core.knowledge.search(here, 'inspected regulation', 5)).hits.filter((h) => h.text.includes('ferries'));

  let fresh: { id: string; tokens: string }[];
  let freshTerms: unknown[];

  beforeAll(async () => {
    dir = tempDir();
    db = openSqliteDatabase(dir);
    const { core, entries } = await open();
    await core.start();
    // A new store: nothing to tokenize again, nothing said.
    expect(entries.filter((e) => e.msg === RETOKENIZED)).toEqual([]);
    expect(db.prepare('SELECT store_key, subject, version FROM store_versions').all()).toEqual([{ store_key: 'sqlite', subject: 'tokenizer', version: TOKENIZER_VERSION }]);
    await core.knowledge.ingest(here, bufferFile('harbour.md', Buffer.from(HARBOUR)), alice);
    await core.knowledge.ingest(here, bufferFile('hafen.md', Buffer.from(HAFEN)), alice);
    // A new version of harbour.md: the one it replaces is kept as the previous version, and is tokenized again too.
    await core.knowledge.ingest(here, bufferFile('harbour.md', Buffer.from(`${HARBOUR}\nCranes are inspected every spring.\n`)), alice);
    expect((await core.knowledge.history(here)).map((p) => p.previous.name)).toEqual(['harbour.md']);
    await core.close();
    fresh = tokensByChunk();
    freshTerms = terms();

    // What an older Docent left: its tokens, its term statistics, version 1.
    const rows = db.prepare('SELECT id, document_id, heading, text FROM chunks').all() as { id: string; document_id: string; heading: string | null; text: string }[];
    const byDocument = new Map<string, string[][]>();
    for (const row of rows) {
      const tokens = oldTokens(row.heading, row.text);
      db.prepare('UPDATE chunks SET tokens = ? WHERE id = ?').run(tokens.join(' '), row.id);
      byDocument.set(row.document_id, [...(byDocument.get(row.document_id) ?? []), tokens]);
    }
    db.prepare('DELETE FROM document_terms').run();
    for (const [id, passages] of byDocument) for (const [token, n] of countTerms(passages)) db.prepare('INSERT INTO document_terms (document_id, token, passages) VALUES (?, ?, ?)').run(id, token, n);
    db.prepare('UPDATE store_versions SET version = 1').run();
  });

  afterAll(async () => {
    for (const core of opened) await core.close().catch(() => undefined);
    db.close();
  });

  it('a question misses them until start tokenizes them again, exactly as an ingest does now; term statistics follow', async () => {
    // Before any start: the older tokens (the channel's index is built from them, and saved).
    const before = await open();
    expect(await inspectionHits(before.core)).toEqual([]);
    await before.core.close();
    expect(before.snapshots.counts.saved).toBe(1);

    const after = await open();
    await after.core.start();
    const said = after.entries.filter((e) => e.msg === RETOKENIZED);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: 'info', obj: { store: 'sqlite', from: 1, to: TOKENIZER_VERSION, documents: 3, passages: fresh.length, failed: 0 } });
    expect((said[0].obj as { seconds: unknown }).seconds).toEqual(expect.any(Number));
    // The same tokens an ingest gives (German stemming for the German document, compounds, the abbreviation joined to its meaning).
    expect(tokensByChunk()).toEqual(fresh);
    expect(terms()).toEqual(freshTerms);
    const tokensOf = (fragment: string) => (db.prepare(`SELECT tokens FROM chunks WHERE text LIKE ?`).get(`%${fragment}%`) as { tokens: string }).tokens.split(' ');
    expect(tokensOf('WAL is replayed')).toEqual(expect.arrayContaining(['wal', 'write', 'ahead', 'log']));
    expect(tokensOf('Sicherheitsvorschriften')).toEqual(expect.arrayContaining(tokenize('Sicherheitsvorschriften der Fähren', 'deu')));
    expect(tokenize('Sicherheitsvorschriften der Fähren', 'deu')).not.toEqual(tokenize('Sicherheitsvorschriften der Fähren'));
    expect((await inspectionHits(after.core)).length).toBe(1);
    // The index saved with the old tokens is not used.
    expect(after.snapshots.counts).toMatchObject({ loaded: 0, refused: 1 });
    expect(db.prepare(`SELECT version FROM store_versions WHERE store_key = 'sqlite' AND subject = 'tokenizer'`).get()).toEqual({ version: TOKENIZER_VERSION });
    await after.core.close();

    // The next start does nothing: no work, the channel's epoch unmoved (the index saved since is used).
    const epochs = db.prepare('SELECT * FROM passage_epochs').all();
    const again = await open();
    await again.core.start();
    expect(again.entries.filter((e) => e.msg === RETOKENIZED)).toEqual([]);
    expect(db.prepare('SELECT * FROM passage_epochs').all()).toEqual(epochs);
    expect((await inspectionHits(again.core)).length).toBe(1);
    expect(again.snapshots.counts).toMatchObject({ loaded: 1, refused: 0 });
  });
});

describe('tokenizing again, stopped midway', () => {
  it('a document that fails leaves the version unrecorded: the next start does the work again and finishes it', async () => {
    const dir = tempDir();
    const db = openSqliteDatabase(dir);
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const first = await composeCore(config, memoryLogger(), { database: db, embedder: null });
    await first.start();
    await first.knowledge.ingest(here, bufferFile('harbour.md', Buffer.from(HARBOUR)), alice);
    await first.knowledge.ingest(here, bufferFile('hafen.md', Buffer.from(HAFEN)), alice);
    await first.close();
    const fresh = db.prepare('SELECT id, tokens FROM chunks ORDER BY id').all();
    for (const row of db.prepare('SELECT id, heading, text FROM chunks').all() as { id: string; heading: string | null; text: string }[]) {
      db.prepare('UPDATE chunks SET tokens = ? WHERE id = ?').run(oldTokens(row.heading, row.text).join(' '), row.id);
    }
    db.prepare('DELETE FROM store_versions').run();

    class FailingStore extends SqliteStore {
      failures = 1;
      override async retokenize(tenant: string, documentId: string, passages: readonly RetokenizedPassage[]): Promise<void> {
        if (this.failures-- > 0) throw new Error('disk full');
        return super.retokenize(tenant, documentId, passages);
      }
    }
    const entries: { level: string; obj: object; msg?: string }[] = [];
    const failing = await composeCore(config, memoryLogger(entries), { database: db, embedder: null, store: new FailingStore(db, undefined, { minSimilarity: 0.5 }, 'test') });
    await failing.start();
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.msg)).toEqual(['could not tokenize a document’s passages again; it is tried again at the next start']);
    expect(entries.find((e) => e.msg === RETOKENIZED)?.obj).toMatchObject({ documents: 1, failed: 1 });
    expect(db.prepare('SELECT * FROM store_versions').all()).toEqual([]);
    await failing.close();

    const entriesAgain: typeof entries = [];
    const again = await composeCore(config, memoryLogger(entriesAgain), { database: db, embedder: null });
    await again.start();
    expect(entriesAgain.find((e) => e.msg === RETOKENIZED)?.obj).toMatchObject({ from: 1, documents: 2, failed: 0 });
    expect(db.prepare('SELECT id, tokens FROM chunks ORDER BY id').all()).toEqual(fresh);
    expect(db.prepare('SELECT version FROM store_versions').all()).toEqual([{ version: TOKENIZER_VERSION }]);
    await again.close();
    db.close();
  });
});

const unavailable = postgresUnavailable();
describe.skipIf(unavailable !== undefined)('passages stored by an older tokenizer (PostgreSQL, two replicas starting together)', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(() => server?.stop());

  it('one replica tokenizes them again while the other waits; both then answer from the new tokens', async () => {
    const url = await server.createDatabase();
    const replica = (entries: { level: string; obj: object; msg?: string }[] = []) =>
      composeCore(loadConfig({ DATA_DIR: tempDir(), DATABASE_URL: url, LOG_LEVEL: 'silent' }), memoryLogger(entries), { embedder: null });
    const first = await replica();
    await first.start();
    await first.knowledge.ingest(here, bufferFile('harbour.md', Buffer.from(HARBOUR)), alice);
    await first.knowledge.ingest(here, bufferFile('hafen.md', Buffer.from(HAFEN)), alice);
    await first.close();

    const pool = new pg.Pool({ connectionString: url });
    try {
      const fresh = (await pool.query('SELECT id, tokens FROM passages ORDER BY id')).rows;
      const { rows } = await pool.query<{ id: string; heading: string | null; text: string }>('SELECT id, heading, text FROM passages');
      for (const row of rows) await pool.query('UPDATE passages SET tokens = $1 WHERE id = $2', [oldTokens(row.heading, row.text).join(' '), row.id]);
      await pool.query(`UPDATE store_versions SET version = 1`);

      const logs = [[], []] as { level: string; obj: object; msg?: string }[][];
      const [one, two] = await Promise.all(logs.map((entries) => replica(entries)));
      await Promise.all([one.start(), two.start()]);
      expect(logs.flat().filter((e) => e.msg === RETOKENIZED)).toHaveLength(1);
      expect((await pool.query('SELECT id, tokens FROM passages ORDER BY id')).rows).toEqual(fresh);
      expect((await pool.query(`SELECT version FROM store_versions WHERE store_key = 'postgres'`)).rows).toEqual([{ version: TOKENIZER_VERSION }]);
      for (const core of [one, two]) expect((await core.knowledge.search(here, 'inspected regulation', 5)).hits.some((h) => h.text.includes('ferries'))).toBe(true);
      await one.close();
      await two.close();
    } finally {
      await pool.end();
    }
  });
});
