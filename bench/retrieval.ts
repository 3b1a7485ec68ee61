import { queryTerms, tokenize } from '../src/core/knowledge/lexical.js';
import { SqliteStore } from '../src/core/providers/sqlite/vector-store.js';
import { prose } from '../test/helpers/pdfs.js';
import { EMBEDDING, randomUnit, TENANT, type BenchCorpus } from './corpus.js';
import { summarise } from './stats.js';

export async function benchRetrieval(corpus: BenchCorpus, queries: number): Promise<Record<string, unknown>> {
  const store = new SqliteStore(corpus.db, EMBEDDING, { minSimilarity: -1 }, 'bench');
  const { documentIds } = corpus;
  const questions = Array.from({ length: queries }, (_, i) => prose(100_000 + i, 1).split(' ').slice(0, 7).join(' '));
  const query = (question: string, hybrid: boolean, seed: number) => {
    const tokens = tokenize(question);
    return { tenant: TENANT, documentIds, tokens: tokens.join(' '), sparse: queryTerms(tokens), vector: hybrid ? randomUnit(9_000_000 + seed) : undefined, limit: 5 };
  };
  const run = async (hybrid: boolean) => {
    const samples: number[] = [];
    // The first query builds the channel's index from the database; reported apart.
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
  const lexical = await run(false);
  const hybrid = await run(true);
  await store.close();
  return { chunks: await countChunks(corpus), dimensions: EMBEDDING.dimensions, loadSeconds: corpus.loadSeconds, lexicalMs: lexical, hybridMs: hybrid, targetP95Ms: 50 };
}

async function countChunks(corpus: BenchCorpus): Promise<number> {
  return (corpus.db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
}
