import type { Config } from '../config.js';
import { createActivity, type Activity } from './activity.js';
import { observeChat, observeEmbedder, observeVideo, observeVision } from './observe.js';
import { ModelChain } from './answer/model-chain.js';
import type { ChatModel, Clock, DocumentParser, Embedder, IngestJobs, Logger, ModelCatalog, Scheduler, VectorStore, VideoModel, VisionModel } from './ports.js';
import { CronScheduler } from './providers/cron-scheduler.js';
import { GeminiChat } from './providers/gemini-chat.js';
import { GeminiEmbedder } from './providers/gemini-embedder.js';
import { GeminiVideo } from './providers/gemini-video.js';
import { GeminiVision } from './providers/gemini-vision.js';
import { createGroqClient, GroqCatalog, GroqChat } from './providers/groq-chat.js';
import { readersByKind } from './providers/document-readers.js';
import { PdfParseParser } from './providers/pdf-parser.js';
import { SharpImages } from './providers/sharp-images.js';
import type { SqliteDatabase } from './providers/sqlite/database.js';
import { TesseractOcr } from './providers/tesseract-ocr.js';
import type { StateStore } from './state.js';
import { inProcessJobs } from './knowledge/in-process-jobs.js';
import { PgBossIngestJobs } from './providers/postgres/ingest-jobs.js';
import { TextDocumentParser } from './providers/text-parser.js';
import { wireStorage, type DependencyStates } from './storage.js';
import { systemClock } from './util/clock.js';
import { createLimiter, type Limiter } from './util/limiter.js';

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

/** The vendors the configuration picks, built once; the services get only their ports. */
export interface Providers {
  readonly clock: Clock;
  readonly state: StateStore;
  readonly parser: DocumentParser;
  readonly embedder: Embedder | undefined;
  readonly store: VectorStore;
  readonly jobs: IngestJobs;
  readonly scheduler: Scheduler;
  readonly images: SharpImages;
  readonly ocr: TesseractOcr;
  readonly visionModel: VisionModel | undefined;
  /** Watches video clips (VISION_MODEL); not in the provider queue, as a clip can wait minutes for Gemini to process it. */
  readonly videoModel: VideoModel | undefined;
  /** Lists the models Groq hosts now (to pick a Gemma), when there is a Groq key. */
  readonly groqCatalog: ModelCatalog | undefined;
  /** An answer model from its id (`groq:gemma2-9b-it`, `gemini:gemma-3-27b-it`). */
  readonly buildModel: (id: string) => ChatModel;
  /** A model chain sharing the per-provider queues. */
  readonly chainOf: (models: readonly ChatModel[]) => ModelChain;
  readonly summaryChain: ModelChain | undefined;
  readonly chatLogger: Logger;
  /** Provider calls, ingests and model events, recorded for the admin page. */
  readonly activity: Activity;
  /** Whether PostgreSQL and Qdrant answer, when they are used (for /healthz). */
  dependencies(): DependencyStates;
  /** Closes what was opened here (the database unless it was given). */
  close(): Promise<void>;
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
