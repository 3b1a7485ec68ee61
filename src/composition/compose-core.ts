import type { Config } from '../config.js';
import { createCore, type Core, type CoreSettings } from '../core/index.js';
import type { ChatModel, Logger } from '../core/ports/ports.js';
import { readSchedulesFile } from '../schedules-file.js';
import { decideAnswerModels } from './answer-models.js';
import { describeCapabilities } from './capabilities.js';
import { wireProviders, type CoreOverrides, type Providers } from './providers.js';

/** The few settings the core reads, taken from the configuration (the core never sees the rest). */
export function coreSettings(config: Config): CoreSettings {
  const { pdf, ocr, ask, summary, digest } = config;
  const schedulesFile = digest.schedulesFile;
  return {
    documents: { retentionDays: config.documents.retentionDays, purgeDays: config.documents.purgeDays },
    limits: { maxBytes: pdf.maxBytes, maxPages: pdf.maxPages, timeoutMs: pdf.timeoutMs, pageBatch: pdf.pageBatch, maxUnpackedBytes: pdf.maxUnpackedBytes },
    chunking: { targetChars: config.chunking.targetChars, overlapChars: config.chunking.overlapChars },
    ocr: { enabled: ocr.enabled, maxPages: ocr.maxPages, timeoutMs: ocr.timeoutMs },
    answers: {
      topK: config.retrieval.topK,
      temperature: ask.temperature,
      topP: ask.topP,
      maxOutputTokens: ask.maxOutputTokens,
      contextTokens: ask.contextTokens,
      historyTurns: ask.historyTurns,
      footer: ask.footer,
    },
    summary: { maxMessages: summary.maxMessages, chunkTokens: summary.chunkTokens, concurrency: summary.concurrency, temperature: summary.temperature, maxOutputTokens: summary.maxOutputTokens },
    digest: {
      timezone: digest.timezone,
      catchUp: digest.catchUp,
      quiet: digest.quiet,
      // DIGEST_SCHEDULES_FILE is read when the digests load (a bad file stops the start there).
      configured: schedulesFile ? { file: schedulesFile, read: () => readSchedulesFile(schedulesFile) } : undefined,
    },
    vision: { maxBytes: config.vision.maxBytes },
    video: { maxBytes: config.video.maxBytes, maxSeconds: config.video.maxSeconds },
    showQuestions: config.admin.showQuestions,
  };
}

/**
 * Decides the answer models first (asking Groq which models it hosts, when it may), then builds
 * the core on the wired providers: the services are made once, with the models they keep.
 */
export async function buildCore(config: Config, providers: Providers, logger: Logger, chatModels?: readonly ChatModel[]): Promise<Core> {
  const answerModels = await decideAnswerModels(providers, config, chatModels);
  return createCore({
    ports: providers,
    answerModels,
    settings: coreSettings(config),
    logger,
    capabilities: (schedules) => describeCapabilities(config, providers, answerModels, schedules),
  });
}

/** Docent's core from the configuration: providers wired, answer models decided, services built (tests, scripts, benchmarks). */
export async function composeCore(config: Config, logger: Logger, overrides: CoreOverrides = {}): Promise<Core> {
  const providers = wireProviders(config, logger, overrides);
  try {
    return await buildCore(config, providers, logger, overrides.chatModels);
  } catch (error) {
    await providers.close().catch(() => undefined);
    throw error;
  }
}
