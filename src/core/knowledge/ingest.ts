import { UnreadableDocumentError } from '../errors.js';
import type { Clock, DocumentParser, DocumentRegistry, Embedder, Logger, OpenedDocument, VectorStore } from '../ports.js';
import type { Actor, ChunkDraft, DocumentRecord, FileSource, StoredChunk } from '../types.js';
import { chunkPage, observePageEdges, type ChunkerOptions, type ChunkerState } from './chunker.js';
import { chunkId, documentId, sha256Hex } from './ids.js';
import { documentTerms, tokenize } from './lexical.js';
import { unsupportedFilters, unsupportedReason } from './pdf-features.js';
import { describeContent, isPdf } from './sniff.js';

export interface IngestLimits {
  readonly maxBytes: number;
  readonly maxPages: number;
  readonly timeoutMs: number;
  readonly pageBatch: number;
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
  readonly status: 'indexed' | 'unchanged';
  readonly document: DocumentRecord;
  /** Older versions of the same file name that this one replaced. */
  readonly replaced: readonly DocumentRecord[];
  /** Pages that yielded no readable text (blank, images only, or glyphs without a text mapping). */
  readonly pagesWithoutText: number;
  /** Scanned pages left unread because the OCR budget (OCR_TIMEOUT_SECONDS) ran out. */
  readonly ocrOverBudget?: readonly number[];
  /** Damaged pages the reader could not read at all; the other pages are indexed. */
  readonly unreadablePages?: readonly number[];
  readonly seconds: number;
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

function refuse(code: string, name: string, reason: string, detail?: string): UnreadableDocumentError {
  return new UnreadableDocumentError(code, `Docent can't index “${name}”: ${reason}.`, detail ? { detail } : undefined);
}

/**
 * Indexes one PDF for one tenant. Nothing becomes visible until every chunk is stored: the
 * registry flips the document to 'ready' in one transaction at the end (retiring an older
 * version of the same name), and any failure removes what was written, so the store is left as
 * it was. A crash mid-way leaves an 'indexing' row that `recover` rolls back at the next start.
 */
export async function ingestDocument(
  deps: IngestDeps,
  tenant: string,
  file: FileSource,
  uploader: Actor,
  onProgress?: (progress: IngestProgress) => void,
): Promise<IngestResult> {
  const started = performance.now();
  const { limits } = deps;
  const limitText = `${formatMegabytes(limits.maxBytes)} (MAX_PDF_MB)`;
  if (file.size !== undefined && file.size > limits.maxBytes) {
    throw refuse('pdf_too_large', file.name, `it is ${formatMegabytes(file.size)}, over the limit of ${limitText}`);
  }
  const data = await file.read(limits.maxBytes);
  if (data.length > limits.maxBytes) throw refuse('pdf_too_large', file.name, `it is larger than the limit of ${limitText}`);
  if (data.length === 0) throw refuse('pdf_empty', file.name, 'the file is empty (0 bytes)');
  if (!isPdf(data)) throw refuse('not_pdf', file.name, `it is not a PDF (it looks like ${describeContent(data)})`);

  const sha256 = sha256Hex(data);
  const existing = deps.registry.findReady(tenant, deps.store.key, sha256);
  if (existing) {
    return { status: 'unchanged', document: existing, replaced: [], pagesWithoutText: 0, seconds: (performance.now() - started) / 1000 };
  }
  const id = documentId(tenant, deps.store.key, sha256);
  const leftover = deps.registry.get(id);
  if (leftover?.status === 'indexing') {
    throw refuse('already_indexing', file.name, 'the same file is being indexed right now; wait for it to finish');
  }
  if (leftover) await removeDocument(deps, leftover);

  let document: OpenedDocument;
  try {
    document = await deps.parser.open(data, { timeoutMs: limits.timeoutMs });
  } catch (error) {
    // "Damaged" may really be a feature the reader lacks: say which.
    if (error instanceof UnreadableDocumentError && error.code === 'pdf_corrupt') {
      const filters = unsupportedFilters(data);
      if (filters.length > 0) throw refuse('pdf_unsupported', file.name, unsupportedReason(filters), error.message);
    }
    throw asRefusal(error, file.name);
  }

  try {
    if (document.pageCount > limits.maxPages) {
      throw refuse('pdf_too_many_pages', file.name, `it has ${document.pageCount} pages, over the limit of ${limits.maxPages} (MAX_PDF_PAGES)`);
    }
    if (document.pageCount === 0) throw refuse('pdf_no_pages', file.name, 'it has no pages');

    deps.registry.begin({
      id,
      tenant,
      storeKey: deps.store.key,
      name: file.name,
      sha256,
      bytes: data.length,
      uploadedBy: uploader,
      link: file.link,
      createdAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    await document.close();
    throw error;
  }

  try {
    const counts = await writeChunks(deps, tenant, id, file.name, document, onProgress);
    if (counts.chunks === 0 && counts.ocrOverBudget.length > 0) {
      throw refuse('ocr_timeout', file.name, `reading its scanned pages by OCR took longer than the ${Math.round((deps.ocrTimeoutMs ?? 0) / 1000)} s budget (OCR_TIMEOUT_SECONDS) before any text was found`);
    }
    const filters = counts.chunks === 0 ? unsupportedFilters(data) : [];
    if (filters.length > 0) throw refuse('pdf_unsupported', file.name, unsupportedReason(filters));
    if (counts.chunks === 0 && counts.damage.length > 0) {
      // Nothing readable in a file the reader had to repair: it is damaged, not a scan.
      throw refuse('pdf_corrupt', file.name, `it is damaged and no text could be read from it (${describeDamage(counts.damage)}); if it was cut off while downloading, upload it again`);
    }
    if (counts.chunks === 0) {
      throw refuse(
        'pdf_no_text',
        file.name,
        deps.readPageText
          ? 'it has no extractable text, and reading its pages as images (OCR) found none either'
          : 'it has no extractable text; it looks like a scanned document or images only',
      );
    }
    deps.registry.saveTerms(id, counts.terms);
    const replaced = deps.registry.publish(id, { pages: document.pageCount, chunks: counts.chunks, ocrPages: counts.ocrPages }, deps.clock.now());
    for (const old of replaced) await removeDocument(deps, old);
    const record = deps.registry.get(id);
    if (record === undefined) throw new Error(`document ${id} vanished after publishing`);
    return {
      status: 'indexed',
      document: record,
      replaced,
      pagesWithoutText: counts.pagesWithoutText,
      ...(counts.ocrOverBudget.length > 0 ? { ocrOverBudget: counts.ocrOverBudget } : {}),
      ...(counts.unreadablePages.length > 0 ? { unreadablePages: counts.unreadablePages } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await rollback(deps, tenant, id);
    throw asRefusal(error, file.name);
  } finally {
    await document.close();
  }
}

async function writeChunks(
  deps: IngestDeps,
  tenant: string,
  id: string,
  name: string,
  document: OpenedDocument,
  onProgress: ((progress: IngestProgress) => void) | undefined,
): Promise<{ chunks: number; pagesWithoutText: number; ocrPages: number; terms: Map<string, number>; damage: string[]; ocrOverBudget: number[]; unreadablePages: number[] }> {
  const state: ChunkerState = { heading: undefined };
  const terms = new Map<string, number>();
  let ordinal = 0;
  let pagesDone = 0;
  let pagesWithoutText = 0;
  let ocrPages = 0;
  let ocrTried = 0;
  const ocrBudget = budget(deps.ocrTimeoutMs);
  const ocrOverBudget: number[] = [];
  const unreadablePages: number[] = [];
  try {
    const damage: string[] = [];
    for await (const pages of document.pages(deps.limits.pageBatch)) {
      for (const page of pages) for (const problem of page.damage ?? []) if (!damage.includes(problem)) damage.push(problem);
    for (const page of pages) {
      if (page.unreadable === undefined) continue;
      unreadablePages.push(page.number);
      if (!damage.includes(page.unreadable)) damage.push(page.unreadable);
    }
      observePageEdges(state, pages.map((page) => page.text));
      // Pages without a text layer (scans) are rendered one after another and read by OCR in
      // parallel (the OCR engine spreads them over its workers), within the document's OCR budget.
      const ocrText = new Map<number, Promise<string | undefined>>();
      for (const page of pages) {
        if (page.unreadable !== undefined) continue;
      const probe = searchable(chunkPage(page.number, page.text, deps.chunking, { heading: state.heading, edgeLines: state.edgeLines }, page.lines));
        if (probe.length > 0 || !deps.readPageText || !document.renderPage) continue;
        if (ocrTried >= (deps.ocrMaxPages ?? 100)) continue;
        if (ocrBudget.signal.aborted) {
          ocrOverBudget.push(page.number);
          continue;
        }
        ocrTried++;
        const read = deps.readPageText;
        const png = await document.renderPage(page.number, 2000);
        onProgress?.({ file: name, pagesDone, pageCount: document.pageCount, ocrPage: page.number });
        ocrText.set(
          page.number,
          Promise.race([read(png, page.number, ocrBudget.signal), ocrBudget.expired]).catch((error: unknown) => {
            if (ocrBudget.signal.aborted) return undefined;
            deps.logger.warn({ err: error, page: page.number, file: name }, 'OCR of a page failed; the page is skipped');
            return '';
          }),
        );
      }
      const drafts: ChunkDraft[] = [];
      for (const page of pages) {
        let pageChunks: ChunkDraft[] = searchable(chunkPage(page.number, page.text, deps.chunking, state, page.lines));
        const ocr = ocrText.get(page.number);
        if (pageChunks.length === 0 && ocr) {
          const text = await ocr;
          if (text === undefined) ocrOverBudget.push(page.number);
          else {
            pageChunks = searchable(chunkPage(page.number, text, deps.chunking, state)).map((c) => ({ ...c, ocr: true }));
            if (pageChunks.length > 0) ocrPages++;
          }
        }
        if (pageChunks.length === 0) pagesWithoutText++;
        drafts.push(...pageChunks);
      }
      const vectors = deps.embedder && drafts.length > 0 ? await deps.embedder.embedDocuments(drafts.map(embeddingText)) : undefined;
      const chunks: StoredChunk[] = drafts.map((draft, i) => {
        const tokens = tokenize(`${draft.heading ?? ''} ${draft.text}`);
        countTerms(terms, tokens);
        return {
          id: chunkId(id, ordinal + i),
          tenant,
          documentId: id,
          file: name,
          ordinal: ordinal + i,
          page: draft.page,
          heading: draft.heading,
          text: draft.text,
          tokens: tokens.join(' '),
          sparse: documentTerms(tokens),
          vector: vectors?.[i],
          ...(draft.ocr ? { ocr: true } : {}),
        };
      });
      await deps.store.upsert(chunks);
      ordinal += chunks.length;
      pagesDone += pages.length;
      onProgress?.({ file: name, pagesDone, pageCount: document.pageCount });
    }
    return { chunks: ordinal, pagesWithoutText, ocrPages, terms, damage, ocrOverBudget: ocrOverBudget.sort((a, b) => a - b), unreadablePages };
  } finally {
    ocrBudget.stop();
  }
}

/**
 * A time budget: `signal` aborts when it runs out (a model call stops), and `expired` resolves
 * to undefined then, so waiting for an engine that cannot be cancelled (tesseract) stops too.
 */
function budget(ms: number | undefined): { signal: AbortSignal; expired: Promise<undefined>; stop(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    if (ms === undefined) return;
    timer = setTimeout(() => {
      controller.abort(new Error('OCR budget exhausted'));
      resolve(undefined);
    }, ms);
    timer.unref();
  });
  return { signal: controller.signal, expired, stop: () => clearTimeout(timer) };
}

/** A passage with no searchable word ("’>in" from a font without a text mapping) can never be found: it is not stored. */
function searchable(drafts: ChunkDraft[]): ChunkDraft[] {
  return drafts.filter((draft) => tokenize(`${draft.heading ?? ''} ${draft.text}`).length > 0);
}

/** pdf.js's repair warnings in plain words (the reader's own text stays in the logs). */
export function describeDamage(warnings: readonly string[]): string {
  const plain = (w: string): string => {
    if (/Indexing all PDF objects|XRef/i.test(w)) return 'its cross-reference table is broken';
    if (/Pages tree|Skipping invalid .*page/i.test(w)) return 'its page tree is invalid';
    if (/stream/i.test(w)) return 'a content stream is broken';
    if (/Unknown command/i.test(w)) return 'its page content has unknown operators';
    return 'its structure is broken';
  };
  return [...new Set(warnings.map(plain))].slice(0, 2).join('; ');
}

/** Adds one passage's distinct terms to a document's passage counts per term. */
export function countTerms(terms: Map<string, number>, tokens: readonly string[]): void {
  for (const token of new Set(tokens)) terms.set(token, (terms.get(token) ?? 0) + 1);
}

function embeddingText(draft: { heading: string | undefined; text: string }): string {
  return draft.heading ? `${draft.heading}\n\n${draft.text}` : draft.text;
}

async function rollback(deps: IngestDeps, tenant: string, id: string): Promise<void> {
  try {
    await deps.store.deleteDocument(tenant, id);
    deps.registry.remove(id);
  } catch (error) {
    // The row stays in 'indexing' (never visible) and is rolled back by recover() at next start.
    deps.logger.error({ err: error, documentId: id }, 'could not roll back a failed ingest; it will be retried at start-up');
  }
}

/** Deletes a document's chunks, then its registry row; the row is 'deleting' (invisible) meanwhile. */
export async function removeDocument(deps: Pick<IngestDeps, 'registry' | 'store'>, record: DocumentRecord): Promise<void> {
  deps.registry.markDeleting(record.id);
  await deps.store.deleteDocument(record.tenant, record.id);
  deps.registry.remove(record.id);
}

function asRefusal(error: unknown, name: string): unknown {
  if (error instanceof UnreadableDocumentError && !error.userMessage.startsWith('Docent ')) {
    return refuse(error.code, name, error.userMessage, error.message);
  }
  return error;
}
