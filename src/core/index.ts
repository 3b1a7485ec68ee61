import path from 'node:path';
import type { Config } from '../config.js';
import { createAnswerService, type AnswerService } from './answer/answer.js';
import { ModelChain } from './answer/model-chain.js';
import { planAskModels, type ModelPlan } from './answer/resolve-model.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.js';
import { createSummaryService, type SummaryService } from './summarize/summarize.js';
import { createFeedbackStore, type FeedbackStore } from './feedback.js';
import { createChannelSettings, type ChannelSettings } from './settings.js';
import { createDigestService, type DigestService } from './digest/digest.js';
import { CronScheduler } from './providers/cron-scheduler.js';
import { GeminiVision } from './providers/gemini-vision.js';
import { SharpImages } from './providers/sharp-images.js';
import { TesseractOcr } from './providers/tesseract-ocr.js';
import { createVisionService, type VisionService } from './vision/vision.js';
import type { ChatModel, Clock, DocumentParser, Embedder, Logger, ModelCatalog, Scheduler, VectorStore, VisionModel } from './ports.js';
import { GeminiChat } from './providers/gemini-chat.js';
import { createGroqClient, GroqCatalog, GroqChat } from './providers/groq-chat.js';
import { createLimiter, type Limiter } from './util/limiter.js';
import { GeminiEmbedder } from './providers/gemini-embedder.js';
import { PdfParseParser } from './providers/pdf-parser.js';
import { QdrantStore } from './providers/qdrant-store.js';
import { openSqliteDatabase, type SqliteDatabase } from './providers/sqlite/database.js';
import { sqliteStateStore } from './providers/sqlite/state-store.js';
import { createConversations, type Conversations } from './conversations.js';
import type { StateStore } from './state.js';
import { SqliteStore } from './providers/sqlite/vector-store.js';
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
  /** Documents, digests, feedback, settings and follow-up memory (the SQLite file under DATA_DIR by default). */
  readonly state?: StateStore;
  /** Answer models to use instead of resolving them from the configuration (benchmarks). */
  readonly chatModels?: readonly ChatModel[];
  /** Summary models to use instead of the configured Gemini model (benchmarks). */
  readonly summaryModels?: readonly ChatModel[];
  /** What ticks digests (node-cron by default; tests drive a controllable one). */
  readonly scheduler?: Scheduler;
}

export interface CapabilityStatus {
  readonly name: string;
  readonly active: boolean;
  readonly detail: string;
}

export interface Core {
  readonly knowledge: KnowledgeBase;
  readonly answers: AnswerService;
  readonly summaries: SummaryService;
  readonly feedback: FeedbackStore;
  readonly vision: VisionService;
  readonly settings: ChannelSettings;
  /** Follow-up memory per conversation. */
  readonly conversations: Conversations;
  /** Scheduled digests; started by main once the bots have attached their platforms. */
  readonly digests: DigestService;
  /** What is switched on, and which variable switches on the rest (for the start-up banner, after start). */
  readonly capabilities: readonly CapabilityStatus[];
  /** Prepares the store and rolls back anything a crash left half done. */
  start(): Promise<{ recovered: number }>;
  close(): Promise<void>;
}

/** Vision calls wait in the same per-provider queue as answers and summaries. */
function queued(model: VisionModel, limiter: Limiter | undefined): VisionModel {
  if (!limiter) return model;
  return { model: model.model, look: (image, prompt, options) => limiter.run(() => model.look(image, prompt, options)) };
}

export function createCore(config: Config, logger: Logger, overrides: CoreOverrides = {}): Core {
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? openSqliteDatabase(config.dataDir);
  const state = overrides.state ?? sqliteStateStore(database, { closeDatabase: false });
  const registry = state.documents;
  const parser = overrides.parser ?? new PdfParseParser({ memoryLimitBytes: config.pdf.memoryLimitBytes });
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

  const groq = config.groq.apiKey
    ? createGroqClient({ apiKey: config.groq.apiKey, baseUrl: config.groq.baseUrl, timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries, clock, logger })
    : undefined;
  const groqCatalog: ModelCatalog | undefined = groq ? new GroqCatalog(groq) : undefined;
  const limiters = new Map(['groq', 'gemini'].map((provider) => [provider, createLimiter(config.ask.concurrency)]));
  const chatLogger = logger.child({ component: 'answers' });
  const providerCall = { timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries, clock, logger: chatLogger };
  const geminiKey = config.gemini.apiKey;
  const geminiAccess = geminiKey ? { ...providerCall, apiKey: geminiKey, baseUrl: config.gemini.baseUrl } : undefined;
  const buildModel = (id: string): ChatModel => {
    const [provider, ...rest] = id.split(':');
    const model = rest.join(':');
    if (provider === 'groq' && groq) return new GroqChat(groq, model, providerCall);
    if (provider === 'gemini' && geminiAccess) return new GeminiChat(model, { ...geminiAccess, variable: 'ASK_MODEL / ASK_FALLBACK_MODELS' });
    throw new Error(`no provider key for ${id}`);
  };
  let chain: ModelChain | undefined = overrides.chatModels
    ? new ModelChain(overrides.chatModels, { logger: chatLogger, limiters, queueNoticeMs: config.ask.queueNoticeMs })
    : undefined;
  let plan: ModelPlan | undefined;

  const knowledge = createKnowledgeBase({
    registry,
    store,
    parser,
    embedder,
    clock,
    logger: logger.child({ component: 'knowledge' }),
    limits: config.pdf,
    chunking: config.chunking,
    readPageText: config.ocr.enabled ? (png, page, signal) => vision.readText(png, `page ${page}`, signal) : undefined,
    ocrMaxPages: config.ocr.maxPages,
    ocrTimeoutMs: config.ocr.timeoutMs,
  });
  const answers = createAnswerService({
    knowledge,
    chain: () => chain,
    logger: chatLogger,
    settings: { topK: config.retrieval.topK, ...config.ask },
  });

  const summaryChain = overrides.summaryModels
    ? new ModelChain(overrides.summaryModels, { logger: chatLogger, limiters, queueNoticeMs: config.ask.queueNoticeMs })
    : geminiAccess
    ? new ModelChain([new GeminiChat(config.summary.model, { ...geminiAccess, variable: 'SUMMARY_MODEL' })], {
        logger: chatLogger,
        limiters,
        queueNoticeMs: config.ask.queueNoticeMs,
      })
    : undefined;
  const summaries = createSummaryService({
    chain: () => summaryChain,
    settings: config.summary,
    logger: logger.child({ component: 'summaries' }),
  });

  const ocr = new TesseractOcr({ workers: config.ocr.workers, languages: config.ocr.languages });
  const vision = createVisionService({
    images: new SharpImages({ maxPixels: config.vision.maxPixels }),
    model: geminiAccess ? queued(new GeminiVision(config.vision.model, { ...geminiAccess, temperature: 0.2, maxOutputTokens: 2048 }), limiters.get('gemini')) : undefined,
    ocr,
    maxBytes: config.vision.maxBytes,
    logger: logger.child({ component: 'vision' }),
  });

  const feedback = createFeedbackStore(state.feedback, () => clock.now());
  const digests = createDigestService({
    store: state.digests,
    scheduler: overrides.scheduler ?? new CronScheduler(),
    clock,
    summaries,
    knowledge,
    feedback,
    logger: logger.child({ component: 'digests' }),
    settings: { timezone: config.digest.timezone, catchUp: config.digest.catchUp, quiet: config.digest.quiet, schedulesFile: config.digest.schedulesFile },
  });

  const answerCapability = (): CapabilityStatus => {
    const current = chain?.current;
    if (current) {
      const fallbacks = chain?.models.slice(1).map((m) => `${m.provider}:${m.model}`) ?? [];
      return {
        name: '/ask answers',
        active: true,
        detail: `${current.provider}:${current.model}${plan ? ` (${plan.reason})` : ''}${fallbacks.length > 0 ? `, then ${fallbacks.join(', ')}` : ''}`,
      };
    }
    return { name: '/ask answers', active: false, detail: 'quoted passages with file and page citations (set GROQ_API_KEY or GEMINI_API_KEY for written answers)' };
  };

  const staticCapabilities: CapabilityStatus[] = [
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
  ];

  return {
    knowledge,
    answers,
    summaries,
    feedback,
    vision,
    digests,
    settings: createChannelSettings(state.settings, () => clock.now()),
    conversations: createConversations(state.conversations, () => clock.now()),
    get capabilities() {
      const summary: CapabilityStatus = summaryChain
        ? { name: '/summarize', active: true, detail: `gemini:${config.summary.model}, map-reduce over parts of ${config.summary.chunkTokens} tokens` }
        : { name: '/summarize', active: false, detail: 'most representative messages (set GEMINI_API_KEY for written summaries)' };
      const images: CapabilityStatus = config.gemini.apiKey
        ? { name: 'images', active: true, detail: `gemini:${config.vision.model}: caption, describe, read text, answer, find objects` }
        : { name: 'images', active: false, detail: 'reading text only, offline (set GEMINI_API_KEY to caption, describe, answer and find objects)' };
      const schedules = digests.count();
      const digest: CapabilityStatus = {
        name: 'digests',
        active: true,
        detail: `${schedules} schedule${schedules === 1 ? '' : 's'}; zone ${config.digest.timezone} unless set; missed runs ${config.digest.catchUp === 'once' ? 'posted once, late' : 'skipped'}`,
      };
      return [...staticCapabilities, answerCapability(), summary, images, digest];
    },
    async start() {
      await store.init();
      if (!overrides.chatModels) {
        plan = await planAskModels({
          pinned: config.ask.model,
          fallbacks: config.ask.fallbackModels,
          groqDefaultModel: config.ask.groqDefaultModel,
          hasGroqKey: groq !== undefined,
          hasGeminiKey: config.gemini.apiKey !== undefined,
          groqCatalog,
          logger: chatLogger,
        });
        chain = plan.models.length > 0 ? new ModelChain(plan.models.map(buildModel), { logger: chatLogger, limiters, queueNoticeMs: config.ask.queueNoticeMs }) : undefined;
        chatLogger.info({ models: plan.models, reason: plan.reason }, plan.models.length > 0 ? `/ask answers with ${plan.models[0]}: ${plan.reason}` : `/ask quotes passages: ${plan.reason}`);
      }
      const recovered = await knowledge.recover();
      return { recovered };
    },
    async close() {
      await digests.stop();
      await parser.close();
      await ocr.close();
      await store.close();
      state.close();
      if (!overrides.database) database.close();
    },
  };
}
