import type { Activity } from './activity/activity.js';
import type { AnswerSettings } from './answer/answer.js';
import type { ModelChain } from './lib/model-chain.js';
import type { ModelPlan } from './answer/resolve-model.js';
import type { DigestSettings } from './digest/digest.js';
import type { ChunkerOptions } from './knowledge/ingest/chunker.js';
import type { IngestLimits } from './knowledge/ingest/ingest.js';
import type { Clock, DocumentParser, Embedder, ImageProcessor, IngestJobs, Logger, OcrEngine, Scheduler, VectorStore, VideoModel, VisionModel } from './ports/ports.js';
import type { StateStore } from './ports/state-store.js';
import type { SummarizeSettings } from './summarize/summarize.js';
import type { DependencyState } from './lib/dependency-monitor.js';

/** One line of the start-up banner (and of /about): what is switched on, or which variable switches it on. */
export interface CapabilityStatus {
  readonly name: string;
  readonly active: boolean;
  readonly detail: string;
}

/** Whether the services holding Docent's state and passages answer ('ok' for the SQLite file, which is no service). */
export interface DependencyStates {
  readonly state: DependencyState;
  readonly vectors: DependencyState;
}

/** The answer models, decided before the core is built: a chain (first model, then fallbacks) and why. */
export interface AnswerModels {
  /** Undefined: no model key, /ask quotes passages. */
  readonly chain: ModelChain | undefined;
  readonly plan: ModelPlan | undefined;
}

/** The providers the composition picked, as the ports the core's services use. */
export interface CorePorts {
  readonly clock: Clock;
  readonly state: StateStore;
  readonly parser: DocumentParser;
  readonly embedder: Embedder | undefined;
  readonly store: VectorStore;
  readonly jobs: IngestJobs;
  readonly scheduler: Scheduler;
  readonly images: ImageProcessor;
  readonly ocr: OcrEngine;
  readonly visionModel: VisionModel | undefined;
  readonly videoModel: VideoModel | undefined;
  readonly summaryChain: ModelChain | undefined;
  /** Provider calls, ingests and model events, recorded for the admin page. */
  readonly activity: Activity;
  /** Whether PostgreSQL and Qdrant answer, when they are used (for /healthz). */
  dependencies(): DependencyStates;
  /** Closes what the composition opened for these ports. */
  close(): Promise<void>;
}

/** The settings the core's services read: nothing else of the application's configuration reaches the core. */
export interface CoreSettings {
  /** Documents indexed longer ago than `retentionDays` are retired (undefined: kept); a left channel's are purged after `purgeDays`. */
  readonly documents: { readonly retentionDays: number | undefined; readonly purgeDays: number };
  /** What one upload may be: bytes, pages, reading time, pages per batch, unpacked archive size. */
  readonly limits: IngestLimits;
  readonly chunking: ChunkerOptions;
  /** Scanned pages: whether they are read, how many per document, and the per-document time budget. */
  readonly ocr: { readonly enabled: boolean; readonly maxPages: number; readonly timeoutMs: number };
  readonly answers: AnswerSettings;
  readonly summary: SummarizeSettings;
  readonly digest: DigestSettings;
  readonly vision: { readonly maxBytes: number };
  readonly video: { readonly maxBytes: number; readonly maxSeconds: number };
  /** Whether the admin page shows the questions' texts. */
  readonly showQuestions: boolean;
}

/** What createCore builds the services from: ports, the answer models already decided, settings, and the banner's lines. */
export interface CoreDeps {
  readonly ports: CorePorts;
  readonly answerModels: AnswerModels;
  readonly settings: CoreSettings;
  readonly logger: Logger;
  /** The banner's lines given the number of digest schedules (the composition knows what is configured). */
  readonly capabilities: (schedules: number) => CapabilityStatus[];
}
