import type { DocumentRecord, SearchHit, SearchQuery, SparseTerms, StoredChunk } from './types.js';

export type { IngestJob, IngestJobs, IngestLease } from './ingest-jobs.js';
export type { ImageProcessor, LabelledBox, LabelledMask, ModelLookOptions, OcrEngine, PreparedImage, VideoAnswer, VideoClip, VideoMimeType, VideoModel, VisionMode, VisionModel } from './media.js';

/** The subset of a structured logger the core uses (pino satisfies it). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * Told by a provider how the calls to a service it depends on went (PostgreSQL, Qdrant), so one
 * monitor can say when the service is down and when it is back (core/lib/dependency-monitor.ts).
 */
export interface ReachabilityWatch {
  /** A call failed in a way that says the service may be unreachable (refused, dropped, shut down). */
  failed(error: unknown): void;
  /** A call succeeded: the service answers. */
  succeeded(): void;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Turns texts into unit-length dense vectors. */
export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  embedDocuments(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
}

/** One line of a page as laid out: the font and size most of its characters use. */
export interface LayoutLine {
  readonly text: string;
  readonly font: string;
  readonly size: number;
  /** Share of the line's characters in that font and size (0–1). */
  readonly share: number;
  readonly x: number;
  /** Distance from the top of the page, in points. */
  readonly y: number;
  readonly width: number;
}

export interface ParsedPage {
  readonly number: number;
  readonly text: string;
  /** The page's lines with their layout, when the reader knows it (not for OCR). */
  readonly lines?: readonly LayoutLine[];
  /** Damage the reader recovered from while reading this page (or the file, for page 1), in its words. */
  readonly damage?: readonly string[];
  /** Set when the page could not be read at all: the reader's error. Its text is empty. */
  readonly unreadable?: string;
  /** For documents without pages (Markdown, HTML, CSV, text): how this part is cited ("Failover", "rows 2–26"). */
  readonly section?: string;
}

/** An opened document, read page batch by page batch so memory does not grow with page count. */
export interface OpenedDocument {
  readonly pageCount: number;
  pages(batchSize: number): AsyncIterable<ParsedPage[]>;
  /** The page as a PNG of the given width, for reading scanned pages (OCR). */
  renderPage?(page: number, width: number): Promise<Buffer>;
  close(): Promise<void>;
}

export interface DocumentParser {
  /** Throws UnreadableDocumentError with the specific reason when the bytes cannot be read. */
  /** `kind`: the id of the format the file is read as ('pdf', 'docx', …: providers/readers/formats). */
  open(data: Buffer, options: { timeoutMs: number; kind?: string }): Promise<OpenedDocument>;
  close(): Promise<void>;
}

/**
 * Holds chunks with their lexical terms and (optionally) dense vectors, and searches them.
 * Every search is filtered by tenant and by the set of visible document ids.
 */
export interface VectorStore {
  /** Identifies where chunks live, e.g. `sqlite` or `qdrant:docent_gemini-embedding-001_768`. */
  readonly key: string;
  readonly description: string;
  init(): Promise<void>;
  upsert(chunks: readonly StoredChunk[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  deleteDocument(tenant: string, documentId: string): Promise<void>;
  countChunks(tenant: string, documentId: string): Promise<number>;
  /** A document's passages in reading order (comparing two versions); with `limit`, at most that many (a sample, in order). */
  passages(tenant: string, documentId: string, limit?: number): Promise<StoredPassage[]>;
  /** The lexical tokens of each of a document's passages (term statistics for documents indexed before they were kept). */
  passageTokens(tenant: string, documentId: string): Promise<string[][]>;
  /**
   * Replaces the lexical tokens (and sparse vectors) of a document's passages, found by ordinal in
   * this tenant only; text and dense vectors stay. Searches see the new tokens from then on (a
   * channel index built or saved before is not used again). Passages not found are skipped.
   */
  retokenize(tenant: string, documentId: string, passages: readonly RetokenizedPassage[]): Promise<void>;
  /** The highest cosine similarity of a visible passage with the query vector (undefined without vectors). */
  bestSimilarity(query: SearchQuery): Promise<number | undefined>;
  close(): Promise<void>;
}

/** A passage's lexical terms computed again (a new tokenizer version): its tokens, space separated, and its sparse vector. */
export interface RetokenizedPassage {
  readonly ordinal: number;
  readonly tokens: string;
  readonly sparse: SparseTerms;
}

/** One passage of a document as stored, without its vectors. */
export interface StoredPassage {
  readonly ordinal: number;
  readonly page: number;
  readonly heading: string | undefined;
  readonly text: string;
}

/** The document registry: which documents exist per tenant and in which state (SQLite, or PostgreSQL with DATABASE_URL). */
export interface DocumentRegistry {
  /** Records a document being read, with the places it was posted (`origins`, see FileSource). */
  begin(record: Omit<DocumentRecord, 'status' | 'indexedAt' | 'pages' | 'chunks' | 'ocrPages'> & { readonly origins?: readonly string[] }): Promise<void>;
  /** One more posting of a document (the same file posted again): its keys, the first naming it. */
  addOrigins(documentId: string, origins: readonly string[]): Promise<void>;
  /**
   * The message or file `origin` is gone: removes it from the ready documents of `tenants` (a
   * tenant key, or a workspace's prefix ending in ':'), and returns those it leaves posted nowhere.
   */
  releaseOrigin(tenants: string, origin: string): Promise<DocumentRecord[]>;
  /** Ready documents of `tenants` (a tenant key, or a workspace prefix ending in ':'). */
  listReadyIn(tenants: string, storeKey: string): Promise<DocumentRecord[]>;
  /** Ready documents indexed before `before` (DOCUMENT_RETENTION_DAYS). */
  listIndexedBefore(storeKey: string, before: Date): Promise<DocumentRecord[]>;
  /** Docent left `tenants` (removed, or the channel deleted or archived); the first departure's time is kept. */
  markDeparted(tenants: string, reason: string, at: Date): Promise<void>;
  /** Docent is back in `tenants`: its documents are no longer due to be purged. */
  clearDeparted(tenants: string): Promise<void>;
  /** Departures older than `before`, oldest first. */
  listDeparted(before: Date): Promise<{ tenants: string; reason: string; at: Date }[]>;
  /**
   * Marks the document ready as its name's current version in the tenant (the newest ready one of
   * that name). The version it replaces stays, as the previous version (`previous`); versions
   * before that are marked 'deleting' and returned (`retired`) for their passages to be removed.
   */
  publish(id: string, counts: { pages: number; chunks: number; ocrPages: number }, at: Date): Promise<PublishedVersion>;
  /** An earlier version posted again becomes its name's current version again; returns the one it replaces. */
  reinstate(id: string, at: Date): Promise<DocumentRecord | undefined>;
  markDeleting(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  get(id: string): Promise<DocumentRecord | undefined>;
  /** A ready document (current or previous version) with this content. */
  findReady(tenant: string, storeKey: string, sha256: string): Promise<DocumentRecord | undefined>;
  /** The tenant's ready documents: each name's current version, or (`previous`) the versions they replaced; newest first. */
  listReady(tenant: string, storeKey: string, versions?: Versions): Promise<DocumentRecord[]>;
  /** Documents being read now (status 'indexing'), oldest first. */
  listIndexing(tenant: string, storeKey: string): Promise<DocumentRecord[]>;
  /** Documents left in 'indexing' or 'deleting' by a crash, for any tenant. */
  listUnfinished(storeKey: string): Promise<DocumentRecord[]>;
  /** Records, for a document being indexed, in how many of its passages each term occurs. */
  saveTerms(documentId: string, passagesPerTerm: ReadonlyMap<string, number>): Promise<void>;
  /** Term statistics over a tenant's ready documents (current or previous versions), for the given terms. */
  termStats(tenant: string, storeKey: string, tokens: readonly string[], versions?: Versions): Promise<TermStats>;
  /** Ready documents indexed before term statistics were kept. */
  listWithoutTerms(storeKey: string): Promise<DocumentRecord[]>;
  /** The store's ready documents of every tenant (current and previous versions), by id: at most `limit` after the id `after`. */
  listReadyAfter(storeKey: string, after: string, limit: number): Promise<DocumentRecord[]>;
  /**
   * Brings a store's passages to `version` of something they were made with (`subject`, such as
   * 'tokenizer'), once: `work` runs with the version recorded for the store (undefined when none
   * is) when it differs from `version`, and `version` is recorded when `work` resolves true.
   * Replicas sharing the registry run it one at a time: the others wait, then find it done.
   * Returns whether `work` ran.
   */
  migrateStore(storeKey: string, subject: string, version: number, work: (recorded: number | undefined) => Promise<boolean>): Promise<boolean>;
}

/**
 * Which versions of the documents: a file posted again under the same name becomes its name's
 * `current` version; the version it replaced is kept as the `previous` one (one per name).
 */
export type Versions = 'current' | 'previous';

export interface PublishedVersion {
  /** The version the published document replaces, kept as the previous one. */
  readonly previous: DocumentRecord | undefined;
  /** Older versions no longer kept, marked 'deleting'. */
  readonly retired: readonly DocumentRecord[];
}

export interface TermStats {
  /** Passages in the tenant's ready documents. */
  readonly passages: number;
  /** For each asked term that occurs, in how many passages. */
  readonly frequencies: ReadonlyMap<string, number>;
  /** False when some ready document has no statistics (indexed by an older Docent). */
  readonly complete: boolean;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  readonly topP: number;
  readonly maxOutputTokens: number;
  readonly signal?: AbortSignal;
  /** Ask for JSON matching this JSON Schema (structured output) instead of prose. */
  readonly responseSchema?: object;
}

export interface ChatUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type ChatEvent = { readonly type: 'token'; readonly text: string } | { readonly type: 'done'; readonly usage: ChatUsage | undefined };

/** A chat model at one provider: `groq:<id>` or `gemini:<id>`. */
export interface ChatModel {
  readonly provider: 'groq' | 'gemini';
  readonly model: string;
  /** Streams the reply. Failures before the first token are retried by the provider; later ones surface. */
  stream(request: ChatRequest): AsyncIterable<ChatEvent>;
}

/** Lists the model ids a provider serves, to pick a default at start-up. */
export interface ModelCatalog {
  listModels(signal?: AbortSignal): Promise<string[]>;
}

/** Starts a callback at each instant of a cron expression in a time zone (croner in production). */
export interface Scheduler {
  schedule(expression: string, timezone: string, onTick: () => void): { stop(): void };
}

/**
 * What a chat platform does for digests, registered by its bot when it starts: read a channel's
 * recent messages, check who may read what, name channels, post, and tell a person privately.
 */
export interface DigestPlatform {
  readonly platform: string;
  /** The channel's history since a date, or undefined when the platform cannot read it (the console). */
  conversation(workspace: string, channel: string, label: string): ConversationSource | undefined;
  /** Whether this person can read this channel now. */
  canRead(workspace: string, userId: string, channel: string): Promise<boolean>;
  /** "#general", as people see it. */
  channelLabel(workspace: string, channel: string): Promise<string>;
  /** The id of the channel people call `name` (without #), or undefined when there is none Docent can see. */
  findChannel(workspace: string, name: string): Promise<string | undefined>;
  /** Posts Markdown into a channel; returns a link or id of the first message. */
  post(workspace: string, channel: string, markdown: string): Promise<string>;
  /** A private message to a person (failures of a digest they set). */
  notify(workspace: string, userId: string, markdown: string): Promise<void>;
}

/** One chat message as a conversation source hands it over: names as people see them. */
export interface ConversationMessage {
  readonly id: string;
  readonly author: { readonly id: string; readonly name: string; readonly bot: boolean };
  readonly text: string;
  readonly at: Date | undefined;
  /** A link to the message (Discord message URL, Slack permalink), when the platform has one. */
  readonly link: string | undefined;
  /** Docent's own replies are skipped like other bots' unless asked for. */
  readonly fromDocent?: boolean;
}

export interface ConversationWindow {
  /** The most recent messages (at most `limit`), in pages, oldest first. */
  readonly pages: AsyncIterable<ConversationMessage[]>;
  /** True when older messages exist beyond the limit and were left out. */
  readonly capped: boolean;
}

/** Where messages come from: a chat platform's history, or a transcript file. */
export interface ConversationSource {
  /** Describes the conversation ("thread in #general", "transcript.txt"). */
  readonly label: string;
  messages(options: { limit: number; since?: Date; signal?: AbortSignal }): Promise<ConversationWindow>;
}
