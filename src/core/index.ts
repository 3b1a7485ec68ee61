import { createAnswerService, type AnswerService } from './answer/answer.js';
import { createConversations, type Conversations } from './answer/conversations.js';
import type { AnswerModels, CapabilityStatus, CoreDeps, CorePorts, CoreSettings, DependencyStates } from './core-deps.js';
import { createDeliveries, type Deliveries } from './deliveries.js';
import { createAdminReports, type AdminReports } from './insights/report.js';
import { createDetails, type Details } from './activity/reply-details.js';
import { createDigestService, type DigestService } from './digest/digest.js';
import { createFeedbackStore, type FeedbackStore } from './answer/feedback.js';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.js';
import { createLifecycle, type Lifecycle } from './knowledge/lifecycle/lifecycle.js';
import { createVersionDiffs, type VersionDiffs } from './knowledge/versions/version-diff.js';
import type { Logger } from './ports/ports.js';
import type { AdminSessionState } from './ports/state-store.js';
import { tenantKey, type Scope } from './ports/types.js';
import { createChannelSettings, type ChannelSettings } from './channel-settings.js';
import { createSummaryService, type SummaryService } from './summarize/summarize.js';
import { createVideoService, type VideoService } from './vision/video.js';
import { createVisionService, type VisionService } from './vision/vision.js';

export type { AnswerModels, CapabilityStatus, CoreDeps, CorePorts, CoreSettings, DependencyStates };

export interface Core {
  readonly knowledge: KnowledgeBase;
  /** /ask, with the answer models decided before the core was built. */
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
  /** What is switched on, and which variable switches on the rest (for the start-up banner). */
  capabilities(): Promise<CapabilityStatus[]>;
  /** Prepares the stores and rolls back anything a crash left half done. */
  start(): Promise<{ recovered: number }>;
  close(): Promise<void>;
}

/** Retention and purges are checked this often (and at start). */
const SWEEP_MS = 3_600_000;

/**
 * Docent's core: the services built on the ports the composition (src/composition/) picked, with
 * the answer models it decided before, so no service ever sees a model chain change under it.
 */
export function createCore(deps: CoreDeps): Core {
  const { ports, settings, logger } = deps;
  const { clock, state } = ports;

  const { vision, video } = mediaServices(settings, ports, logger);
  const channelSettings = createChannelSettings(state.settings, () => clock.now());
  const knowledge = knowledgeBaseFor(settings, ports, logger, { vision, settings: channelSettings });
  const lifecycle = createLifecycle({
    registry: state.documents,
    store: ports.store,
    clock,
    logger: logger.child({ component: 'documents' }),
    retentionDays: settings.documents.retentionDays,
    purgeDays: settings.documents.purgeDays,
  });
  const sweeper = hourlySweeps(lifecycle, logger);
  const summaries = createSummaryService({ chain: ports.summaryChain, settings: settings.summary, logger: logger.child({ component: 'summaries' }) });
  const versions = createVersionDiffs({ knowledge, chain: ports.summaryChain, logger: logger.child({ component: 'versions' }), maxOutputTokens: settings.summary.maxOutputTokens });
  const feedback = createFeedbackStore(state.feedback, () => clock.now());
  const digests = createDigestService({
    activity: ports.activity,
    store: state.digests,
    scheduler: ports.scheduler,
    clock,
    summaries,
    knowledge,
    feedback,
    logger: logger.child({ component: 'digests' }),
    settings: settings.digest,
  });
  const answers = createAnswerService({ knowledge, chain: deps.answerModels.chain, logger: logger.child({ component: 'answers' }), settings: settings.answers });

  return {
    knowledge,
    answers,
    summaries,
    versions,
    feedback,
    vision,
    video,
    digests,
    lifecycle,
    settings: channelSettings,
    ...platformState(state, () => clock.now()),
    admin: adminReports(settings, ports, deps.answerModels),
    adminSessions: state.adminSessions,
    within: (scope, work) => ports.activity.within(tenantKey(scope), work),
    dependencies: () => ports.dependencies(),
    capabilities: async () => deps.capabilities(await digests.count()),
    async start() {
      await state.init();
      await ports.store.init();
      const recovered = await knowledge.recover();
      await ports.jobs.init();
      // Uploads a stopped replica left are read here and reported through the bots attached by then.
      await knowledge.resumeAbandoned((name) => digests.platform(name));
      await sweeper.start();
      return { recovered };
    },
    async close() {
      sweeper.stop();
      await digests.stop();
      await ports.close();
    },
  };
}

/** What the bots keep per conversation and delivery: follow-up memory, deliveries taken on, replies' details. */
function platformState(state: CorePorts['state'], now: () => Date): Pick<Core, 'conversations' | 'deliveries' | 'details'> {
  return { conversations: createConversations(state.conversations, now), deliveries: createDeliveries(state.deliveries, now), details: createDetails(state.details, now) };
}

function adminReports(settings: CoreSettings, ports: CorePorts, models: AnswerModels): AdminReports {
  return createAdminReports({
    queries: ports.state.admin,
    storeKey: ports.store.key,
    now: () => ports.clock.now(),
    showQuestions: settings.showQuestions,
    plan: () => models.plan,
    queued: (tenant) => ports.jobs.queued(tenant),
    settled: () => ports.activity.flush(),
  });
}

/** Images (and scanned pages) and video clips. */
function mediaServices(settings: CoreSettings, ports: CorePorts, logger: Logger): { vision: VisionService; video: VideoService } {
  return {
    vision: createVisionService({ images: ports.images, model: ports.visionModel, ocr: ports.ocr, maxBytes: settings.vision.maxBytes, logger: logger.child({ component: 'vision' }) }),
    video: createVideoService({ model: ports.videoModel, maxBytes: settings.video.maxBytes, maxSeconds: settings.video.maxSeconds, logger: logger.child({ component: 'video' }) }),
  };
}

function knowledgeBaseFor(settings: CoreSettings, ports: CorePorts, logger: Logger, services: { vision: VisionService; settings: ChannelSettings }): KnowledgeBase {
  const { ocr } = settings;
  return createKnowledgeBase({
    registry: ports.state.documents,
    store: ports.store,
    parser: ports.parser,
    embedder: ports.embedder,
    clock: ports.clock,
    logger: logger.child({ component: 'knowledge' }),
    limits: settings.limits,
    chunking: settings.chunking,
    readPageText: ocr.enabled ? (png, page, signal) => services.vision.readText(png, `page ${page}`, signal) : undefined,
    readPageTextOffline: ocr.enabled ? (png, page, signal) => services.vision.readText(png, `page ${page}`, signal, { offline: true }) : undefined,
    ocrMaxPages: ocr.maxPages,
    ocrTimeoutMs: ocr.timeoutMs,
    jobs: ports.jobs,
    forgetsDeleted: (scope) => services.settings.get(scope, 'forgetdeleted'),
    aiAllowed: (scope) => services.settings.get(scope, 'ai'),
    activity: ports.activity,
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
