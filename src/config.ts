import { configSchema, configVariables, type EnvConfig, type LogLevel } from './config-schema.js';
import type { AnswerSettings } from './core/answer/answer.js';

export { configSchema, configVariables, type EnvConfig, type LogLevel };

/**
 * The only place that reads environment variables (their schema is config-schema.ts).
 * `loadConfig` reports every problem at once, by variable name, at boot.
 */

/** Discord gateway shards: how many in all ('auto': Discord's recommendation), and which run here (all when undefined). */
export interface DiscordShards {
  readonly count: number | 'auto';
  readonly ids: readonly number[] | undefined;
}

export interface Config {
  readonly dataDir: string;
  /** `level` is undefined when LOG_LEVEL is not set: info, or warn in the interactive console. */
  readonly log: { readonly level: LogLevel | undefined; readonly format: EnvConfig['LOG_FORMAT'] };
  readonly console: { readonly channel: string };
  readonly discord: {
    readonly token: string | undefined;
    readonly guildId: string | undefined;
    readonly messageContent: boolean;
    readonly managerRole: string | undefined;
    readonly apiUrl: string | undefined;
    readonly cdnHosts: readonly string[];
    /** Sharding (DISCORD_SHARDS, DISCORD_SHARD_IDS); undefined: one shard. */
    readonly shards: DiscordShards | undefined;
  };
  readonly slack: {
    readonly botToken: string | undefined;
    readonly signingSecret: string | undefined;
    readonly appToken: string | undefined;
    readonly port: number;
    readonly apiUrl: string | undefined;
    readonly fileHosts: readonly string[];
  };
  readonly gemini: {
    readonly apiKey: string | undefined;
    readonly baseUrl: string | undefined;
    readonly embeddingModel: string;
    readonly embeddingDimensions: number;
    readonly embeddingBatchSize: number;
    readonly embeddingConcurrency: number;
  };
  readonly groq: { readonly apiKey: string | undefined; readonly baseUrl: string | undefined };
  readonly providers: { readonly maxRetries: number; readonly timeoutMs: number };
  /** PostgreSQL for shared state (and passages without Qdrant); undefined: the SQLite file under DATA_DIR. */
  readonly database: { readonly url: string | undefined; readonly poolSize: number };
  readonly qdrant: {
    readonly url: string | undefined;
    readonly apiKey: string | undefined;
    readonly collectionPrefix: string;
  };
  readonly pdf: {
    readonly maxBytes: number;
    readonly maxPages: number;
    readonly timeoutMs: number;
    readonly pageBatch: number;
    /** The process's memory (RSS) ceiling while a document is read or rendered: a document that would pass it is stopped. */
    readonly memoryLimitBytes: number;
    /** Most bytes an Office document's archive may really inflate to (MAX_UNPACKED_MB). */
    readonly maxUnpackedBytes: number;
  };
  readonly chunking: { readonly targetChars: number; readonly overlapChars: number };
  readonly documents: {
    /** Documents indexed longer ago than this are retired (DOCUMENT_RETENTION_DAYS); undefined: kept. */
    readonly retentionDays: number | undefined;
    /** Days after Docent leaves a channel (or it is deleted or archived) before its documents are purged (CHANNEL_PURGE_DAYS). */
    readonly purgeDays: number;
  };
  /** GET /healthz on this port (0: off) and host, in every mode; the Docker image turns it on. */
  readonly health: { readonly port: number; readonly host: string };
  /** The admin page (ADMIN_PORT, 0: off): bound to `host`, behind `token`; question texts shown only with showQuestions. */
  readonly admin: { readonly port: number; readonly host: string; readonly token: string | undefined; readonly showQuestions: boolean };
  readonly retrieval: { readonly topK: number };
  /** The answer service's settings (but topK, which is `retrieval`'s), the models it asks, and its queue. */
  readonly ask: Omit<AnswerSettings, 'topK'> & {
    readonly model: string | undefined;
    readonly fallbackModels: readonly string[];
    readonly groqDefaultModel: string;
    readonly concurrency: number;
    readonly queueNoticeMs: number;
  };
  readonly vision: { readonly model: string; readonly maxBytes: number; readonly maxPixels: number };
  /** Video clips: the largest and longest sent to Gemini, and the size up to which one goes inline rather than through the Files API. */
  readonly video: { readonly maxBytes: number; readonly maxSeconds: number; readonly inlineMaxBytes: number };
  /** Scanned pages: whether they are read, how many per PDF, the per-document time budget, and tesseract workers (0: one per core). */
  readonly ocr: { readonly enabled: boolean; readonly maxPages: number; readonly timeoutMs: number; readonly workers: number; readonly languages: readonly string[] };
  readonly digest: {
    /** The time zone of schedules that name none. */
    readonly timezone: string;
    /** A run missed while Docent was down: posted once (marked late) or skipped. */
    readonly catchUp: 'once' | 'skip';
    /** A period with nothing to report: a one-line note, or no post. */
    readonly quiet: 'note' | 'skip';
    /** Slack user ids who may manage digests and channel settings besides workspace admins. */
    readonly slackAdmins: readonly string[];
    /** A JSON file of schedules declared by the operator, loaded at start. */
    readonly schedulesFile: string | undefined;
  };
  readonly summary: {
    readonly model: string;
    readonly maxMessages: number;
    readonly chunkTokens: number;
    readonly concurrency: number;
    readonly temperature: number;
    readonly maxOutputTokens: number;
  };
  /** Every secret value configured, so logs can scrub them wherever they appear. */
  readonly secrets: readonly string[];
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Docent cannot start: ${problems.length} configuration problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const name of configVariables) picked[name] = env[name];
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems = crossChecks(e);
  if (problems.length > 0) throw new ConfigError(problems);
  return toConfig(e);
}

/** Rules that span several variables. */
function crossChecks(e: EnvConfig): string[] {
  const problems: string[] = [];
  if (e.CHUNK_OVERLAP_CHARS >= e.CHUNK_TARGET_CHARS / 2) {
    problems.push(`CHUNK_OVERLAP_CHARS: must be less than half of CHUNK_TARGET_CHARS (${e.CHUNK_TARGET_CHARS})`);
  }
  if (e.QDRANT_API_KEY !== undefined && e.QDRANT_URL === undefined) {
    problems.push('QDRANT_API_KEY: is set but QDRANT_URL is not; set QDRANT_URL to use Qdrant');
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET: is needed with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (e.DISCORD_SHARD_IDS && typeof e.DISCORD_SHARDS !== 'number') {
    problems.push('DISCORD_SHARD_IDS: needs DISCORD_SHARDS set to the total number of shards');
  } else if (e.DISCORD_SHARD_IDS && typeof e.DISCORD_SHARDS === 'number') {
    const total = e.DISCORD_SHARDS;
    const outside = e.DISCORD_SHARD_IDS.filter((id) => id >= total);
    if (outside.length > 0) problems.push(`DISCORD_SHARD_IDS: shard ids go from 0 to ${total - 1} with DISCORD_SHARDS=${total}; ${outside.join(', ')} is not one`);
  }
  if (e.ADMIN_PORT > 0 && !e.ADMIN_TOKEN) problems.push('ADMIN_TOKEN: is needed with ADMIN_PORT; the admin page does not start without a token (try: openssl rand -hex 24)');
  if (e.ADMIN_PORT > 0 && e.ADMIN_PORT === e.HEALTH_PORT) problems.push(`ADMIN_PORT: ${e.ADMIN_PORT} is HEALTH_PORT too; give the admin page a port of its own`);
  if ((e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) && !e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: is needed to run the Slack bot');
  for (const [name, specs] of [['ASK_MODEL', e.ASK_MODEL ? [e.ASK_MODEL] : []], ['ASK_FALLBACK_MODELS', e.ASK_FALLBACK_MODELS]] as const) {
    for (const spec of specs) {
      if (spec.startsWith('groq:') && !e.GROQ_API_KEY) problems.push(`${name}: ${spec} needs GROQ_API_KEY`);
      if (spec.startsWith('gemini:') && !e.GEMINI_API_KEY) problems.push(`${name}: ${spec} needs GEMINI_API_KEY`);
    }
  }
  return problems;
}

/** The parsed variables, grouped by what uses them (seconds → ms, MB → bytes). */
function toConfig(e: EnvConfig): Config {
  return {
    dataDir: e.DATA_DIR,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    console: { channel: e.CONSOLE_CHANNEL },
    health: { port: e.HEALTH_PORT, host: e.HEALTH_HOST },
    admin: { port: e.ADMIN_PORT, host: e.ADMIN_HOST, token: e.ADMIN_TOKEN, showQuestions: e.ADMIN_SHOW_QUESTIONS === 'true' },
    slack: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, port: e.SLACK_PORT, apiUrl: e.SLACK_API_URL, fileHosts: e.SLACK_FILE_HOSTS },
    discord: {
      token: e.DISCORD_TOKEN,
      guildId: e.DISCORD_GUILD_ID,
      messageContent: e.DISCORD_MESSAGE_CONTENT === 'true',
      managerRole: e.DISCORD_MANAGER_ROLE,
      apiUrl: e.DISCORD_API_URL,
      cdnHosts: e.DISCORD_CDN_HOSTS,
      shards: e.DISCORD_SHARDS === undefined ? undefined : { count: e.DISCORD_SHARDS, ids: e.DISCORD_SHARD_IDS },
    },
    gemini: {
      apiKey: e.GEMINI_API_KEY,
      baseUrl: e.GEMINI_BASE_URL,
      embeddingModel: e.EMBEDDING_MODEL,
      embeddingDimensions: e.EMBEDDING_DIMENSIONS,
      embeddingBatchSize: e.EMBEDDING_BATCH_SIZE,
      embeddingConcurrency: e.EMBEDDING_CONCURRENCY,
    },
    groq: { apiKey: e.GROQ_API_KEY, baseUrl: e.GROQ_BASE_URL },
    providers: { maxRetries: e.PROVIDER_MAX_RETRIES, timeoutMs: Math.round(e.PROVIDER_TIMEOUT_SECONDS * 1000) },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    qdrant: { url: e.QDRANT_URL, apiKey: e.QDRANT_API_KEY, collectionPrefix: e.QDRANT_COLLECTION_PREFIX },
    pdf: {
      maxBytes: Math.round(e.MAX_PDF_MB * 1024 * 1024),
      maxPages: e.MAX_PDF_PAGES,
      timeoutMs: Math.round(e.PDF_TIMEOUT_SECONDS * 1000),
      pageBatch: e.PDF_PAGE_BATCH,
      memoryLimitBytes: e.PDF_MEMORY_MB * 1024 * 1024,
      maxUnpackedBytes: e.MAX_UNPACKED_MB * 1024 * 1024,
    },
    chunking: { targetChars: e.CHUNK_TARGET_CHARS, overlapChars: e.CHUNK_OVERLAP_CHARS },
    documents: { retentionDays: e.DOCUMENT_RETENTION_DAYS, purgeDays: e.CHANNEL_PURGE_DAYS },
    retrieval: { topK: e.ASK_TOP_K },
    ask: {
      model: e.ASK_MODEL,
      fallbackModels: e.ASK_FALLBACK_MODELS,
      groqDefaultModel: e.ASK_GROQ_DEFAULT_MODEL,
      temperature: e.ASK_TEMPERATURE,
      topP: e.ASK_TOP_P,
      maxOutputTokens: e.ASK_MAX_OUTPUT_TOKENS,
      contextTokens: e.ASK_CONTEXT_TOKENS,
      historyTurns: e.ASK_HISTORY_TURNS,
      footer: e.ASK_FOOTER === 'true',
      concurrency: e.PROVIDER_CONCURRENCY,
      queueNoticeMs: Math.round(e.QUEUE_NOTICE_SECONDS * 1000),
    },
    ocr: { enabled: e.OCR_SCANNED_PAGES === 'true', maxPages: e.OCR_MAX_PAGES, timeoutMs: e.OCR_TIMEOUT_SECONDS * 1000, workers: e.OCR_WORKERS, languages: e.OCR_LANGUAGES },
    digest: { timezone: e.DIGEST_TIMEZONE, catchUp: e.DIGEST_CATCHUP, quiet: e.DIGEST_QUIET, slackAdmins: e.DIGEST_ADMINS, schedulesFile: e.DIGEST_SCHEDULES_FILE },
    video: { maxBytes: Math.round(e.VIDEO_MAX_MB * 1024 * 1024), maxSeconds: e.VIDEO_MAX_SECONDS, inlineMaxBytes: Math.round(e.VIDEO_INLINE_MB * 1024 * 1024) },
    vision: { model: e.VISION_MODEL, maxBytes: Math.round(e.MAX_IMAGE_MB * 1024 * 1024), maxPixels: Math.round(e.MAX_IMAGE_MEGAPIXELS * 1_000_000) },
    summary: {
      model: e.SUMMARY_MODEL,
      maxMessages: e.SUMMARY_MAX_MESSAGES,
      chunkTokens: e.SUMMARY_CHUNK_TOKENS,
      concurrency: e.SUMMARY_CONCURRENCY,
      temperature: e.SUMMARY_TEMPERATURE,
      maxOutputTokens: e.SUMMARY_MAX_OUTPUT_TOKENS,
    },
    secrets: [databasePassword(e.DATABASE_URL), e.GEMINI_API_KEY, e.GROQ_API_KEY, e.QDRANT_API_KEY, e.DISCORD_TOKEN, e.SLACK_BOT_TOKEN, e.SLACK_SIGNING_SECRET, e.SLACK_APP_TOKEN, e.ADMIN_TOKEN].filter(
      (s): s is string => s !== undefined && s.length >= 4,
    ),
  };
}

/** The password inside DATABASE_URL, so logs can scrub it wherever it appears. */
function databasePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
