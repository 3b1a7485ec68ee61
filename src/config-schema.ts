import { createRequire } from 'node:module';
import { z } from 'zod';
import { isTimeZone } from './core/lib/time-zone.js';

/**
 * Every environment variable Docent reads, with its type, default and bounds (config.ts turns
 * the parsed values into the Config the rest of Docent sees). `.env.example` lists the same
 * names; a test keeps the two in sync.
 */

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), { message: 'must be an http:// or https:// URL' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
);
/** A comma-separated list of host names, lower-cased. */
const hostList = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0)),
  );
/** Whether tesseract's data for a language is installed (the @tesseract.js-data/<code> package). */
function hasLanguageData(language: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`@tesseract.js-data/${language}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });
const integer = (fallback: number, min: number, max: number) => z.preprocess(emptyToUndefined, wholeNumber(min, max).default(fallback));
const optionalInteger = (min: number, max: number) => z.preprocess(emptyToUndefined, wholeNumber(min, max).optional());
const positiveNumber = (fallback: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'must be a number' })
      .positive({ message: 'must be greater than 0' })
      .max(max, { message: `must be at most ${max}` })
      .default(fallback),
  );

const MODEL_SPEC = /^(groq|gemini):\S+$/;

export const configSchema = z.object({
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['auto', 'pretty', 'json']).default('auto')),
  CONSOLE_CHANNEL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[\w.-]{1,80}$/, { message: 'must be 1-80 letters, digits, dots, dashes or underscores' })
      .default('general'),
  ),

  DISCORD_TOKEN: optionalString,
  DISCORD_GUILD_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{15,22}$/, { message: 'must be a Discord server (guild) id' }).optional()),
  DISCORD_MESSAGE_CONTENT: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be true or false' }).default('false')),
  DISCORD_MANAGER_ROLE: optionalString,
  DISCORD_API_URL: optionalUrl,
  DISCORD_SHARDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65_536), { message: 'must be auto or a number of shards (1 or more)' })
      .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v)))
      .optional(),
  ),
  DISCORD_SHARD_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, { message: 'must be shard ids separated by commas, such as 0,1' })
      .transform((v) => [...new Set(v.split(',').map((id) => Number(id.trim())))].sort((a, b) => a - b))
      .optional(),
  ),
  DISCORD_CDN_HOSTS: hostList('cdn.discordapp.com,media.discordapp.net'),

  SLACK_BOT_TOKEN: z.preprocess(emptyToUndefined, z.string().trim().startsWith('xoxb-', { message: 'must be a bot token (xoxb-…)' }).optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(emptyToUndefined, z.string().trim().startsWith('xapp-', { message: 'must be an app-level token (xapp-…)' }).optional()),
  SLACK_PORT: integer(3000, 1, 65535),
  SLACK_API_URL: optionalUrl,
  SLACK_FILE_HOSTS: hostList('files.slack.com'),

  HEALTH_PORT: integer(0, 0, 65535),
  HEALTH_HOST: z.preprocess(emptyToUndefined, z.string().trim().default('127.0.0.1')),

  ADMIN_PORT: integer(0, 0, 65535),
  ADMIN_HOST: z.preprocess(emptyToUndefined, z.string().trim().default('127.0.0.1')),
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, z.string().trim().min(16, { message: 'must be at least 16 characters (try: openssl rand -hex 24)' }).optional()),
  ADMIN_SHOW_QUESTIONS: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be true or false' }).default('false')),

  GEMINI_API_KEY: optionalString,
  GEMINI_BASE_URL: optionalUrl,
  EMBEDDING_MODEL: z.preprocess(emptyToUndefined, z.string().default('gemini-embedding-001')),
  EMBEDDING_DIMENSIONS: integer(768, 128, 3072),
  EMBEDDING_BATCH_SIZE: integer(100, 1, 100),
  EMBEDDING_CONCURRENCY: integer(2, 1, 16),
  PROVIDER_MAX_RETRIES: integer(4, 0, 10),
  PROVIDER_TIMEOUT_SECONDS: positiveNumber(60, 600),

  GROQ_API_KEY: optionalString,
  GROQ_BASE_URL: optionalUrl,

  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => /^postgres(?:ql)?:\/\/\S+$/.test(v), { message: 'must be a PostgreSQL URL: postgres://user:password@host:5432/database' })
      .optional(),
  ),
  DATABASE_POOL_SIZE: integer(10, 1, 200),
  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: optionalString,
  QDRANT_COLLECTION_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,40}$/, { message: 'must be 1-40 letters, digits, dashes or underscores' })
      .default('docent'),
  ),

  MAX_PDF_MB: positiveNumber(50, 2048),
  MAX_PDF_PAGES: integer(2000, 1, 100_000),
  DOCUMENT_RETENTION_DAYS: optionalInteger(1, 36_500),
  CHANNEL_PURGE_DAYS: integer(7, 0, 365),
  PDF_TIMEOUT_SECONDS: positiveNumber(120, 3600),
  PDF_PAGE_BATCH: integer(50, 1, 500),
  PDF_MEMORY_MB: integer(1024, 256, 65_536),
  MAX_UNPACKED_MB: integer(256, 1, 65_536),
  CHUNK_TARGET_CHARS: integer(1200, 200, 8000),
  CHUNK_OVERLAP_CHARS: integer(200, 0, 2000),
  ASK_TOP_K: integer(5, 1, 50),
  ASK_MODEL: z.preprocess(
    emptyToUndefined,
    z.string().trim().regex(MODEL_SPEC, { message: 'must be provider:model, e.g. groq:openai/gpt-oss-20b or gemini:gemma-4-31b-it' }).optional(),
  ),
  ASK_FALLBACK_MODELS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0))
      .refine((list) => list.every((s) => MODEL_SPEC.test(s)), { message: 'must be a comma-separated list of provider:model' })
      .default([]),
  ),
  ASK_GROQ_DEFAULT_MODEL: z.preprocess(emptyToUndefined, z.string().default('openai/gpt-oss-20b')),
  ASK_TEMPERATURE: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number' }).min(0, { message: 'must be at least 0' }).max(2, { message: 'must be at most 2' }).default(0.2)),
  ASK_TOP_P: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number' }).gt(0, { message: 'must be greater than 0' }).max(1, { message: 'must be at most 1' }).default(0.95)),
  ASK_MAX_OUTPUT_TOKENS: integer(1024, 64, 32_768),
  ASK_CONTEXT_TOKENS: integer(6000, 500, 200_000),
  ASK_HISTORY_TURNS: integer(3, 0, 20),
  ASK_FOOTER: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be true or false' }).default('true')),
  SUMMARY_MODEL: z.preprocess(emptyToUndefined, z.string().trim().default('gemini-2.5-flash')),
  SUMMARY_MAX_MESSAGES: integer(2000, 2, 20_000),
  SUMMARY_CHUNK_TOKENS: integer(16_000, 500, 500_000),
  SUMMARY_CONCURRENCY: integer(8, 1, 32),
  SUMMARY_TEMPERATURE: z.preprocess(emptyToUndefined, z.coerce.number({ message: 'must be a number' }).min(0, { message: 'must be at least 0' }).max(2, { message: 'must be at most 2' }).default(0.2)),
  SUMMARY_MAX_OUTPUT_TOKENS: integer(2048, 256, 32_768),
  VISION_MODEL: z.preprocess(emptyToUndefined, z.string().trim().default('gemini-2.5-flash')),
  MAX_IMAGE_MB: positiveNumber(20, 200),
  MAX_IMAGE_MEGAPIXELS: positiveNumber(50, 1000),
  VIDEO_MAX_MB: positiveNumber(100, 2048),
  VIDEO_MAX_SECONDS: integer(300, 1, 3 * 3600),
  VIDEO_INLINE_MB: positiveNumber(14, 19),
  OCR_SCANNED_PAGES: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be true or false' }).default('true')),
  OCR_MAX_PAGES: integer(100, 1, 10_000),
  OCR_LANGUAGES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .default('eng+deu')
      .transform((v) => v.split('+').map((l) => l.trim()).filter((l) => l.length > 0))
      .superRefine((languages, context) => {
        for (const language of languages) {
          if (!/^[a-z]{3}(?:_[a-z]+)?$/.test(language)) context.addIssue({ code: 'custom', message: `“${language}” is not a tesseract language code (such as eng, deu, chi_sim)` });
          else if (!hasLanguageData(language)) context.addIssue({ code: 'custom', message: `no language data for “${language}” is installed: npm install @tesseract.js-data/${language}` });
        }
      }),
  ),
  OCR_TIMEOUT_SECONDS: integer(300, 5, 86_400),
  OCR_WORKERS: integer(0, 0, 16),

  DIGEST_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z.string().trim().default('UTC').refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Brussels or UTC' }),
  ),
  DIGEST_CATCHUP: z.preprocess(emptyToUndefined, z.enum(['once', 'skip'], { message: 'must be once or skip' }).default('once')),
  DIGEST_QUIET: z.preprocess(emptyToUndefined, z.enum(['note', 'skip'], { message: 'must be note or skip' }).default('note')),
  DIGEST_ADMINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform((v) => v.split(',').map((id) => id.trim()).filter((id) => id.length > 0)),
  ),
  DIGEST_SCHEDULES_FILE: optionalString,
  PROVIDER_CONCURRENCY: integer(4, 1, 64),
  QUEUE_NOTICE_SECONDS: positiveNumber(2, 60),
});

export type EnvConfig = z.infer<typeof configSchema>;
export type LogLevel = NonNullable<EnvConfig['LOG_LEVEL']>;

/** The names of every variable Docent reads. */
export const configVariables: readonly string[] = Object.keys(configSchema.shape);
