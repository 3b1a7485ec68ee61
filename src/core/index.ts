import type { Config } from '../config.js';
import { readSchedulesFile } from '../schedules-file.js';
import { createAnswerService, type AnswerService } from './answer/answer.js';
import { describeCapabilities, type CapabilityStatus } from './capabilities.js';
import { createConversations, type Conversations } from './conversations.js';
import { createDeliveries, type Deliveries } from './deliveries.js';
import { createAdminReports, type AdminReports } from './admin/report.js';
import { createDetails, type Details } from './details.js';
import { createDigestService, type DigestService } from './digest/digest.js';
import { createFeedbackStore, type FeedbackStore } from './feedback.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.js';
import { createLifecycle, type Lifecycle } from './knowledge/lifecycle.js';
import { createVersionDiffs, type VersionDiffs } from './knowledge/version-diff.js';
import { resolveAnswerModels, type AnswerModels } from './models.js';
import type { Logger } from './ports.js';
import type { AdminSessionState } from './state.js';
import { tenantKey, type Scope } from './types.js';
import { createChannelSettings, type ChannelSettings } from './settings.js';
import type { DependencyStates } from './storage.js';
import { createSummaryService, type SummaryService } from './summarize/summarize.js';
import { createVideoService, type VideoService } from './vision/video.js';
import { createVisionService, type VisionService } from './vision/vision.js';
import { wireProviders, type CoreOverrides, type Providers } from './wiring.js';

export type { CapabilityStatus, CoreOverrides, DependencyStates };

export interface Core {
  readonly knowledge: KnowledgeBase;
  /** /ask. Until start() has decided the answer models it quotes passages; start() replaces it with the decided one. */
  readonly answers: AnswerService;
  readonly summaries: SummaryService;
  /** /diff: what changed between a document's previous and current versions. */
  readonly versions: VersionDiffs;
  readonly feedback: FeedbackStore;
  readonly vision: VisionService;
  /** Video clips: caption, describe, ask (Gemini only). */
  readonly video: VideoService;
  readonly settings: ChannelSettings;
  /** Follow-up memory per conversation. */
  readonly conversations: Conversations;
  /** Platform deliveries (event, interaction, message ids) taken on once, across restarts and replicas. */
  readonly deliveries: Deliveries;
  /** What each reply sent where, kept a week for the person who asked. */
  readonly details: Details;
  /** How long documents live: retention, and channels Docent left (swept hourly from start()). */
  readonly lifecycle: Lifecycle;
  /** Scheduled digests; started by main once the bots have attached their platforms. */
  readonly digests: DigestService;
  /** The admin page's figures (read-only). */
  readonly admin: AdminReports;
  /** Sessions signed in to the admin page, in the state store (so every replica sees a sign-out). */
  readonly adminSessions: AdminSessionState;
  /** Runs a request's work with its channel, so its provider calls are counted there on the admin page. */
  within<T>(scope: Scope, work: () => T): T;
  /** Whether the database and the passage store answer (PostgreSQL, Qdrant; always 'ok' for the SQLite file), for /healthz. */
  dependencies(): DependencyStates;
  /** What is switched on, and which variable switches on the rest (for the start-up banner, after start). */
  capabilities(): Promise<CapabilityStatus[]>;
  /** Decides the answer models, prepares the store and rolls back anything a crash left half done. */
  start(): Promise<{ recovered: number }>;
  close(): Promise<void>;
}

/** Retention and purges are checked this often (and at start). */
const SWEEP_MS = 3_600_000;

/**
 * Docent's core: the providers the configuration picks (wiring.ts) and the services built on
 * their ports. The answer service is built once its models are decided (start(), which may ask
 * Groq which models it hosts), so no service ever sees a model chain change under it.
 */
export function createCore(config: Config, logger: Logger, overrides: CoreOverrides = {}): Core {
  const providers = wireProviders(config, logger, overrides);
  const { clock, state } = providers;

  const { vision, video } = mediaServices(config, providers, logger);
  const settings = createChannelSettings(state.settings, () => clock.now());
  const knowledge = knowledgeBaseFor(config, providers, logger, { vision, settings });
  const lifecycle = createLifecycle({
    registry: state.documents,
    store: providers.store,
    clock,
    logger: logger.child({ component: 'documents' }),
    retentionDays: config.documents.retentionDays,
    purgeDays: config.documents.purgeDays,
  });
  const sweeper = hourlySweeps(lifecycle, logger);
  const summaries = createSummaryService({ chain: providers.summaryChain, settings: config.summary, logger: logger.child({ component: 'summaries' }) });
  const versions = createVersionDiffs({ knowledge, chain: providers.summaryChain, logger: logger.child({ component: 'versions' }), maxOutputTokens: config.summary.maxOutputTokens });
  const feedback = createFeedbackStore(state.feedback, () => clock.now());
  const digests = digestServiceFor(config, providers, logger, { summaries, knowledge, feedback });

  const answerServiceFor = (decided: AnswerModels) =>
    createAnswerService({ knowledge, chain: decided.chain, logger: providers.chatLogger, settings: { topK: config.retrieval.topK, ...config.ask } });
  let models: AnswerModels | undefined;
  // Before start() nothing has been asked of Groq, so no model is known: /ask quotes passages.
  let answers: AnswerService = answerServiceFor({ chain: undefined, plan: undefined });

  return {
    knowledge,
    get answers() {
      return answers;
    },
    summaries,
    versions,
    feedback,
    vision,
    video,
    digests,
    lifecycle,
    settings,
    ...platformState(state, () => clock.now()),
    admin: adminReports(config, providers, () => models?.plan),
    adminSessions: state.adminSessions,
    within: (scope, work) => providers.activity.within(tenantKey(scope), work),
    dependencies: () => providers.dependencies(),
    async capabilities() {
      return describeCapabilities(config, providers, models, await digests.count());
    },
    async start() {
      await state.init();
      await providers.store.init();
      if (!models) {
        models = await resolveAnswerModels(providers, config, overrides.chatModels);
        answers = answerServiceFor(models);
      }
      const recovered = await knowledge.recover();
      await providers.jobs.init();
      // Uploads a stopped replica left are read here and reported through the bots attached by then.
      await knowledge.resumeAbandoned((name) => digests.platform(name));
      await sweeper.start();
      return { recovered };
    },
    async close() {
      sweeper.stop();
      await digests.stop();
      await providers.close();
    },
  };
}

/** Scheduled digests, with the schedules of DIGEST_SCHEDULES_FILE when one is configured. */
function digestServiceFor(config: Config, providers: Providers, logger: Logger, services: Pick<Core, 'summaries' | 'knowledge' | 'feedback'>): DigestService {
  const schedulesFile = config.digest.schedulesFile;
  return createDigestService({
    activity: providers.activity,
    store: providers.state.digests,
    scheduler: providers.scheduler,
    clock: providers.clock,
    ...services,
    logger: logger.child({ component: 'digests' }),
    settings: {
      timezone: config.digest.timezone,
      catchUp: config.digest.catchUp,
      quiet: config.digest.quiet,
      configured: schedulesFile ? { file: schedulesFile, read: () => readSchedulesFile(schedulesFile) } : undefined,
    },
  });
}

/** What the bots keep per conversation and delivery: follow-up memory, deliveries taken on, replies' details. */
function platformState(state: Providers['state'], now: () => Date): Pick<Core, 'conversations' | 'deliveries' | 'details'> {
  return { conversations: createConversations(state.conversations, now), deliveries: createDeliveries(state.deliveries, now), details: createDetails(state.details, now) };
}

function adminReports(config: Config, providers: Providers, plan: () => AnswerModels['plan']): AdminReports {
  return createAdminReports({
    queries: providers.state.admin,
    storeKey: providers.store.key,
    now: () => providers.clock.now(),
    showQuestions: config.admin.showQuestions,
    plan,
    queued: (tenant) => providers.jobs.queued(tenant),
    settled: () => providers.activity.flush(),
  });
}

/** Images (and scanned pages) and video clips. */
function mediaServices(config: Config, providers: Providers, logger: Logger): { vision: VisionService; video: VideoService } {
  return {
    vision: createVisionService({ images: providers.images, model: providers.visionModel, ocr: providers.ocr, maxBytes: config.vision.maxBytes, logger: logger.child({ component: 'vision' }) }),
    video: createVideoService({ model: providers.videoModel, maxBytes: config.video.maxBytes, maxSeconds: config.video.maxSeconds, logger: logger.child({ component: 'video' }) }),
  };
}

function knowledgeBaseFor(config: Config, providers: Providers, logger: Logger, services: { vision: VisionService; settings: ChannelSettings }): KnowledgeBase {
  return createKnowledgeBase({
    registry: providers.state.documents,
    store: providers.store,
    parser: providers.parser,
    embedder: providers.embedder,
    clock: providers.clock,
    logger: logger.child({ component: 'knowledge' }),
    limits: config.pdf,
    chunking: config.chunking,
    readPageText: config.ocr.enabled ? (png, page, signal) => services.vision.readText(png, `page ${page}`, signal) : undefined,
    readPageTextOffline: config.ocr.enabled ? (png, page, signal) => services.vision.readText(png, `page ${page}`, signal, { offline: true }) : undefined,
    ocrMaxPages: config.ocr.maxPages,
    ocrTimeoutMs: config.ocr.timeoutMs,
    jobs: providers.jobs,
    forgetsDeleted: (scope) => services.settings.get(scope, 'forgetdeleted'),
    aiAllowed: (scope) => services.settings.get(scope, 'ai'),
    activity: providers.activity,
  });
}

/** Retention and purges, swept at start and then hourly until close. */
function hourlySweeps(lifecycle: Lifecycle, logger: Logger): { start(): Promise<void>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const sweep = () => lifecycle.sweep().then(
    () => undefined,
    (error: unknown) => logger.error({ err: error }, 'could not retire or purge documents; the next hourly sweep tries again'),
  );
  return {
    async start() {
      await sweep();
      timer ??= setInterval(() => void sweep(), SWEEP_MS);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}
