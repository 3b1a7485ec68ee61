import path from 'node:path';
import type { Config } from '../config.js';
import { createAnswerService, type AnswerService } from './answer/answer.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.js';
import type { Clock, DocumentParser, Embedder, Logger, VectorStore } from './ports.js';
import { GeminiEmbedder } from './providers/gemini-embedder.js';
import { PdfParseParser } from './providers/pdf-parser.js';
import { QdrantStore } from './providers/qdrant-store.js';
import { openSqliteDatabase, type SqliteDatabase } from './providers/sqlite-database.js';
import { SqliteRegistry } from './providers/sqlite-registry.js';
import { SqliteStore } from './providers/sqlite-store.js';
import { systemClock } from './util/clock.js';

/** Cosine similarity below which a dense match is not considered relevant. */
const MIN_SIMILARITY = 0.5;

export interface CoreOverrides {
  readonly clock?: Clock;
  readonly parser?: DocumentParser;
  /** `null` forces lexical-only retrieval even when GEMINI_API_KEY is set. */
  readonly embedder?: Embedder | null;
  readonly store?: VectorStore;
  readonly database?: SqliteDatabase;
}

export interface CapabilityStatus {
  readonly name: string;
  readonly active: boolean;
  readonly detail: string;
}

export interface Core {
  readonly knowledge: KnowledgeBase;
  readonly answers: AnswerService;
  /** What is switched on, and which variable switches on the rest (for the start-up banner). */
  readonly capabilities: readonly CapabilityStatus[];
  /** Prepares the store and rolls back anything a crash left half done. */
  start(): Promise<{ recovered: number }>;
  close(): Promise<void>;
}

export function createCore(config: Config, logger: Logger, overrides: CoreOverrides = {}): Core {
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? openSqliteDatabase(config.dataDir);
  const registry = new SqliteRegistry(database);
  const parser = overrides.parser ?? new PdfParseParser();
  const embedder =
    overrides.embedder === null
      ? undefined
      : (overrides.embedder ??
        (config.gemini.apiKey
          ? new GeminiEmbedder({
              apiKey: config.gemini.apiKey,
              baseUrl: config.gemini.baseUrl,
              model: config.gemini.embeddingModel,
              dimensions: config.gemini.embeddingDimensions,
              batchSize: config.gemini.embeddingBatchSize,
              concurrency: config.gemini.embeddingConcurrency,
              maxRetries: config.providers.maxRetries,
              timeoutMs: config.providers.timeoutMs,
              clock,
              logger: logger.child({ provider: 'gemini-embeddings' }),
            })
          : undefined));
  const store =
    overrides.store ??
    (config.qdrant.url
      ? new QdrantStore({
          url: config.qdrant.url,
          apiKey: config.qdrant.apiKey,
          collectionPrefix: config.qdrant.collectionPrefix,
          embedding: embedder ? { model: embedder.model, dimensions: embedder.dimensions } : undefined,
          minSimilarity: MIN_SIMILARITY,
          timeoutMs: config.providers.timeoutMs,
        })
      : new SqliteStore(
          database,
          embedder ? { model: embedder.model, dimensions: embedder.dimensions } : undefined,
          { minSimilarity: MIN_SIMILARITY },
          path.join(config.dataDir, 'docent.db'),
        ));

  const knowledge = createKnowledgeBase({
    registry,
    store,
    parser,
    embedder,
    clock,
    logger: logger.child({ component: 'knowledge' }),
    limits: config.pdf,
    chunking: config.chunking,
  });
  const answers = createAnswerService({ knowledge, topK: config.retrieval.topK });

  const capabilities: CapabilityStatus[] = [
    {
      name: 'store',
      active: true,
      detail: config.qdrant.url ? store.description : `${store.description} (set QDRANT_URL to use a Qdrant server)`,
    },
    {
      name: 'semantic search',
      active: embedder !== undefined,
      detail: embedder
        ? `Gemini embeddings ${embedder.model}, ${embedder.dimensions} dimensions, fused with BM25`
        : 'off, keyword (BM25) search only (set GEMINI_API_KEY for hybrid search)',
    },
    {
      name: '/ask answers',
      active: true,
      detail: 'quoted passages with file and page citations',
    },
  ];

  return {
    knowledge,
    answers,
    capabilities,
    async start() {
      await store.init();
      const recovered = await knowledge.recover();
      return { recovered };
    },
    async close() {
      await parser.close();
      await store.close();
      if (!overrides.database) database.close();
    },
  };
}
