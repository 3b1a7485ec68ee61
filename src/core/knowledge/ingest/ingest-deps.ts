// What an ingest needs and what it reports: shared by the ingest, the page writer and the
// services that resume, re-read and re-tokenize documents.
import type { Clock, DocumentParser, DocumentRegistry, Embedder, Logger, VectorStore } from '../../ports/ports.js';
import type { DocumentRecord } from '../../ports/types.js';
import type { ChunkerOptions } from './chunker.js';

export interface IngestLimits {
  readonly maxBytes: number;
  readonly maxPages: number;
  readonly timeoutMs: number;
  readonly pageBatch: number;
  /** Most bytes an Office file's archive may claim to unpack to (MAX_UNPACKED_MB; the reader counts the real bytes). */
  readonly maxUnpackedBytes?: number;
}

export interface IngestDeps {
  readonly registry: DocumentRegistry;
  readonly store: VectorStore;
  readonly parser: DocumentParser;
  readonly embedder: Embedder | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits: IngestLimits;
  readonly chunking: ChunkerOptions;
  /** Reads the text of a rendered page image (OCR); pages without a text layer are read this way. */
  readonly readPageText?: (png: Buffer, page: number, signal?: AbortSignal) => Promise<string>;
  /** Most pages of one document read by OCR. */
  readonly ocrMaxPages?: number;
  /** Time budget for one document's OCR (OCR_TIMEOUT_SECONDS); pages not started by then are not read. */
  readonly ocrTimeoutMs?: number;
}

export interface IngestProgress {
  readonly file: string;
  readonly pagesDone: number;
  readonly pageCount: number;
  /** Set when a scanned page is being read by OCR: its number. */
  readonly ocrPage?: number;
}

export interface IngestResult {
  /**
   * `unchanged`: this file is indexed here already. `reinstated`: it is an earlier version of its
   * name, posted again, and is the current version again.
   */
  readonly status: 'indexed' | 'unchanged' | 'reinstated';
  readonly document: DocumentRecord;
  /** The version of the same name this one replaced as current; it is kept as the previous version. */
  readonly previous: DocumentRecord | undefined;
  /** Pages that yielded no readable text (blank, images only, or glyphs without a text mapping). */
  readonly pagesWithoutText: number;
  /** Scanned pages left unread because the OCR budget (OCR_TIMEOUT_SECONDS) ran out. */
  readonly ocrOverBudget?: readonly number[];
  /** Damaged pages the reader could not read at all; the other pages are indexed. */
  readonly unreadablePages?: readonly number[];
  readonly seconds: number;
}
