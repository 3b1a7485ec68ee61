import { chunkId } from '../src/core/knowledge/ingest/ids.js';
import { documentTerms, tokenize } from '../src/core/lib/tokenizer.js';
import { openSqliteDatabase, type SqliteDatabase } from '../src/core/providers/storage/sqlite/database.js';
import { SqlRegistry } from '../src/core/providers/storage/sql/registry.js';
import { sqliteRunner } from '../src/core/providers/storage/sql/sqlite-runner.js';
import { SqliteStore } from '../src/core/providers/storage/sql/passage-store.js';
import type { StoredChunk } from '../src/core/ports/types.js';
import { tempDir } from '../test/helpers/core.js';
import { prose } from '../test/helpers/pdfs.js';

export const DIMENSIONS = 768;
export const BENCH_SCOPE = { platform: 'slack', workspace: 'W1', channel: 'C-bench' };
export const TENANT = 'slack:W1:C-bench';
export const EMBEDDING = { model: 'bench-model', dimensions: DIMENSIONS };

export function randomUnit(seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const v = new Float32Array(DIMENSIONS);
  let norm = 0;
  for (let i = 0; i < DIMENSIONS; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    v[i] = state / 0x100000000 - 0.5;
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < DIMENSIONS; i++) v[i] /= norm;
  return v;
}

export interface BenchCorpus {
  readonly dataDir: string;
  readonly db: SqliteDatabase;
  readonly documentIds: string[];
  readonly loadSeconds: number;
}

/** The corpus's passages, a document (a batch) at a time: 100 documents of generated prose, each passage with a unit vector. */
export function* corpusChunks(chunkCount: number, documents = 100): Generator<StoredChunk[]> {
  const perDocument = Math.ceil(chunkCount / documents);
  for (let d = 0; d < documents; d++) {
    const documentId = `doc-${d}`;
    const batch: StoredChunk[] = [];
    for (let c = 0; c < perDocument && d * perDocument + c < chunkCount; c++) {
      const n = d * perDocument + c;
      const text = prose(n + 1, 10);
      const tokens = tokenize(text);
      batch.push({
        id: chunkId(documentId, c),
        tenant: TENANT,
        documentId,
        file: `${documentId}.pdf`,
        ordinal: c,
        page: c + 1,
        heading: undefined,
        text,
        tokens: tokens.join(' '),
        sparse: documentTerms(tokens),
        vector: randomUnit(n + 1),
      });
    }
    if (batch.length > 0) yield batch;
  }
}

/**
 * One channel with `chunkCount` passages of generated prose in 100 documents, each with a
 * 768-dimension unit vector, registered as ready documents so the whole /ask path can use them.
 */
export async function buildCorpus(chunkCount: number): Promise<BenchCorpus> {
  const dataDir = tempDir('docent-bench-');
  const db = openSqliteDatabase(dataDir);
  const store = new SqliteStore(db, EMBEDDING, { minSimilarity: -1 }, 'bench');
  const registry = new SqlRegistry(sqliteRunner(db));
  const documentIds: string[] = [];
  const started = performance.now();
  for (const batch of corpusChunks(chunkCount)) {
    const id = batch[0].documentId;
    documentIds.push(id);
    await registry.begin({ id, tenant: TENANT, storeKey: 'sqlite', name: `${id}.pdf`, sha256: id, bytes: 0, uploadedBy: { id: 'b', name: 'bench' }, link: undefined, createdAt: new Date().toISOString() });
    await store.upsert(batch);
    await registry.publish(id, { pages: batch.length, chunks: batch.length, ocrPages: 0 }, new Date());
  }
  return { dataDir, db, documentIds, loadSeconds: Math.round((performance.now() - started) / 100) / 10 };
}
