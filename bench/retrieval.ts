import { chunkId } from '../src/core/knowledge/ids.js';
import { documentTerms, queryTerms, tokenize } from '../src/core/knowledge/lexical.js';
import { openSqliteDatabase } from '../src/core/providers/sqlite-database.js';
import { SqliteStore } from '../src/core/providers/sqlite-store.js';
import type { StoredChunk } from '../src/core/types.js';
import { tempDir } from '../test/helpers/core.js';
import { prose } from '../test/helpers/pdfs.js';
import { summarise } from './stats.js';

const DIMENSIONS = 768;
const TENANT = 'slack:W1:C-bench';

function randomUnit(seed: number): Float32Array {
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

export async function benchRetrieval(chunkCount: number, queries: number): Promise<Record<string, unknown>> {
  const db = openSqliteDatabase(tempDir('docent-bench-'));
  const store = new SqliteStore(db, { model: 'bench-model', dimensions: DIMENSIONS }, { minSimilarity: -1 }, 'bench');
  const documents = 100;
  const perDocument = Math.ceil(chunkCount / documents);
  const documentIds = Array.from({ length: documents }, (_, i) => `doc-${i}`);
  const loadStarted = performance.now();
  for (let d = 0; d < documents; d++) {
    const batch: StoredChunk[] = [];
    for (let c = 0; c < perDocument && d * perDocument + c < chunkCount; c++) {
      const n = d * perDocument + c;
      const text = prose(n + 1, 10);
      const tokens = tokenize(text);
      batch.push({
        id: chunkId(documentIds[d], c),
        tenant: TENANT,
        documentId: documentIds[d],
        file: `${documentIds[d]}.pdf`,
        ordinal: c,
        page: c + 1,
        heading: undefined,
        text,
        tokens: tokens.join(' '),
        sparse: documentTerms(tokens),
        vector: randomUnit(n + 1),
      });
    }
    await store.upsert(batch);
  }
  const loadMs = performance.now() - loadStarted;

  const questions = Array.from({ length: queries }, (_, i) => prose(100_000 + i, 1).split(' ').slice(0, 7).join(' '));
  const run = async (hybrid: boolean) => {
    const samples: number[] = [];
    // The first hybrid query loads the channel's vectors into memory; report it apart.
    const coldStarted = performance.now();
    await store.search(query(questions[0], hybrid, 0));
    const coldMs = performance.now() - coldStarted;
    for (const [i, q] of questions.entries()) {
      const started = performance.now();
      await store.search(query(q, hybrid, i + 1));
      samples.push(performance.now() - started);
    }
    return { ...summarise(samples), firstQueryMs: Math.round(coldMs) };
  };
  const query = (question: string, hybrid: boolean, seed: number) => {
    const tokens = tokenize(question);
    return { tenant: TENANT, documentIds, tokens: tokens.join(' '), sparse: queryTerms(tokens), vector: hybrid ? randomUnit(9_000_000 + seed) : undefined, limit: 5 };
  };
  const lexical = await run(false);
  const hybrid = await run(true);
  db.close();
  return { chunks: chunkCount, dimensions: DIMENSIONS, loadSeconds: Math.round(loadMs / 100) / 10, lexicalMs: lexical, hybridMs: hybrid, targetP95Ms: 50 };
}
