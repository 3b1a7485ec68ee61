import type { Config } from '../config.js';
import type { CorePorts } from '../core/index.js';
import { createActivity } from '../core/activity/activity.js';
import { observeChat, observeEmbedder, observeVideo, observeVision } from '../core/activity/observe.js';
import { ModelChain } from '../core/lib/model-chain.js';
import type { ChatModel, Clock, DocumentParser, Embedder, IngestJobs, Logger, ModelCatalog, Scheduler, VectorStore, VisionModel } from '../core/ports/ports.js';
import { CronScheduler } from '../core/providers/scheduling/cron-scheduler.js';
import { GeminiChat } from '../core/providers/models/gemini-chat.js';
import { GeminiEmbedder } from '../core/providers/models/gemini-embedder.js';
import { GeminiVideo } from '../core/providers/media/gemini-video.js';
import { GeminiVision } from '../core/providers/media/gemini-vision.js';
import { createGroqClient, GroqCatalog, GroqChat } from '../core/providers/models/groq-chat.js';
import { readersByKind } from '../core/providers/readers/document-readers.js';
import { PdfParseParser } from '../core/providers/readers/pdf-parser.js';
import { SharpImages } from '../core/providers/media/sharp-images.js';
import type { SqliteDatabase } from '../core/providers/storage/sqlite/database.js';
import { TesseractOcr } from '../core/providers/media/tesseract-ocr.js';
import type { StateStore } from '../core/ports/state-store.js';
import { inProcessJobs } from '../core/knowledge/ingest/in-process-jobs.js';
import { PgBossIngestJobs } from '../core/providers/storage/postgres/ingest-jobs.js';
import { TextDocumentParser } from '../core/providers/readers/text-parser.js';
import { systemClock } from '../core/lib/clock.js';
import { createLimiter, type Limiter } from '../core/lib/limiter.js';
import { wireStorage } from './storage.js';

export interface CoreOverrides {
  readonly clock?: Clock;
  readonly parser?: DocumentParser;
  /** `null` forces lexical-only retrieval even when GEMINI_API_KEY is set. */
  readonly embedder?: Embedder | null;
  readonly store?: VectorStore;
  readonly database?: SqliteDatabase;
  /** Documents, digests, feedback, settings and follow-up memory (the SQLite file under DATA_DIR by default). */
  readonly state?: StateStore;
  /** Answer models to use instead of resolving them from the configuration (benchmarks). */
  readonly chatModels?: readonly ChatModel[];
  /** Summary models to use instead of the configured Gemini model (benchmarks). */
  readonly summaryModels?: readonly ChatModel[];
  /** What ticks digests (croner by default; tests drive a controllable one). */
  readonly scheduler?: Scheduler;
  /** Uploads as jobs (in process on SQLite, pg-boss with DATABASE_URL by default). */
  readonly jobs?: IngestJobs;
  /** How long a replica's claim on an upload it is reading lasts unrenewed (tests shorten it). */
  readonly ingestLeaseSeconds?: number;
  /** How often an unreachable PostgreSQL or Qdrant is checked until it answers (5 s; tests shorten it). */
  readonly outageCheckMs?: number;
}

/** An unreachable PostgreSQL or Qdrant is checked this often until it answers. */
const OUTAGE_CHECK_MS = 5_000;

/** The vendors the configuration picks, built once: the core's ports, and what the answer models are decided with. */
export interface Providers extends CorePorts {
  readonly images: SharpImages;
  readonly ocr: TesseractOcr;
  /** Lists the models Groq hosts now (to pick a Gemma), when there is a Groq key. */
  readonly groqCatalog: ModelCatalog | undefined;
  /** An answer model from its id (`groq:gemma2-9b-it`, `gemini:gemma-3-27b-it`). */
  readonly buildModel: (id: string) => ChatModel;
  /** A model chain sharing the per-provider queues. */
  readonly chainOf: (models: readonly ChatModel[]) => ModelChain;
  readonly chatLogger: Logger;
}

/** Vision calls wait in the same per-provider queue as answers and summaries. */
function queued(model: VisionModel, limiter: Limiter | undefined): VisionModel {
  if (!limiter) return model;
  return { model: model.model, look: (image, prompt, options) => limiter.run(() => model.look(image, prompt, options)) };
}

function embedderFor(config: Config, clock: Clock, logger: Logger): Embedder | undefined {
  if (!config.gemini.apiKey) return undefined;
  return new GeminiEmbedder({
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
  });
}

/** Picks and builds every provider the configuration asks for. No network call is made here. */
export function wireProviders(config: Config, logger: Logger, overrides: CoreOverrides = {}): Providers {
  const clock = overrides.clock ?? systemClock;
  const { memoryLimitBytes, maxUnpackedBytes } = config.pdf;
  const parser = overrides.parser ?? readersByKind(new PdfParseParser({ memoryLimitBytes }), new TextDocumentParser({ memoryLimitBytes, maxUnpackedBytes }));
  const given = overrides.embedder === null ? undefined : (overrides.embedder ?? embedderFor(config, clock, logger));
  const storage = wireStorage(config, given, overrides, { logger: logger.child({ component: 'dependencies' }), checkEveryMs: overrides.outageCheckMs ?? OUTAGE_CHECK_MS });
  const { state, store } = storage;
  const activity = createActivity(state.activity, () => clock.now(), logger.child({ component: 'activity' }));
  const embedder = given && observeEmbedder(given, activity);
  const jobs =
    overrides.jobs ??
    (storage.pool && config.database.url
      ? new PgBossIngestJobs(storage.pool, config.database.url, { leaseSeconds: overrides.ingestLeaseSeconds, logger: logger.child({ component: 'ingest-jobs' }), watch: storage.databaseWatch })
      : inProcessJobs);

  const groq = config.groq.apiKey
    ? createGroqClient({ apiKey: config.groq.apiKey, baseUrl: config.groq.baseUrl, timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries, clock, logger })
    : undefined;
  const limiters = new Map(['groq', 'gemini'].map((provider) => [provider, createLimiter(config.ask.concurrency)]));
  const chatLogger = logger.child({ component: 'answers' });
  const providerCall = { timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries, clock, logger: chatLogger };
  const geminiKey = config.gemini.apiKey;
  const geminiAccess = geminiKey ? { ...providerCall, apiKey: geminiKey, baseUrl: config.gemini.baseUrl } : undefined;
  const onRetired = (model: ChatModel, next: ChatModel | undefined, detail: string) =>
    activity.record({ kind: 'model', tenant: '', provider: model.provider, subject: model.model, purpose: '', outcome: 'retired', detail: next ? `${detail} Used ${next.provider}:${next.model} instead.` : `${detail} No fallback model was left.` });
  const chainOf = (models: readonly ChatModel[]) => new ModelChain(models, { logger: chatLogger, limiters, queueNoticeMs: config.ask.queueNoticeMs, onRetired });
  const buildModel = (id: string): ChatModel => {
    const [provider, ...rest] = id.split(':');
    const model = rest.join(':');
    if (provider === 'groq' && groq) return observeChat(new GroqChat(groq, model, providerCall), 'answer', activity);
    if (provider === 'gemini' && geminiAccess) return observeChat(new GeminiChat(model, { ...geminiAccess, variable: 'ASK_MODEL / ASK_FALLBACK_MODELS' }), 'answer', activity);
    throw new Error(`no provider key for ${id}`);
  };
  const summaryModels = (overrides.summaryModels ?? (geminiAccess ? [new GeminiChat(config.summary.model, { ...geminiAccess, variable: 'SUMMARY_MODEL' })] : undefined))?.map((m) => observeChat(m, 'summary', activity));
  const ocr = new TesseractOcr({ workers: config.ocr.workers, languages: config.ocr.languages });
  return {
    clock,
    state,
    parser,
    embedder,
    store,
    jobs,
    scheduler: overrides.scheduler ?? new CronScheduler(),
    images: new SharpImages({ maxPixels: config.vision.maxPixels }),
    ocr,
    visionModel: geminiAccess ? queued(observeVision(new GeminiVision(config.vision.model, { ...geminiAccess, temperature: 0.2, maxOutputTokens: 2048 }), activity), limiters.get('gemini')) : undefined,
    videoModel: geminiAccess ? observeVideo(new GeminiVideo(config.vision.model, { ...geminiAccess, inlineMaxBytes: config.video.inlineMaxBytes, maxOutputTokens: 2048 }), activity) : undefined,
    groqCatalog: groq ? new GroqCatalog(groq) : undefined,
    buildModel,
    chainOf,
    summaryChain: summaryModels ? chainOf(summaryModels) : undefined,
    chatLogger,
    activity,
    dependencies: () => storage.dependencies(),
    async close() {
      await jobs.stop();
      await activity.flush();
      await parser.close();
      await ocr.close();
      await storage.close();
    },
  };
}
