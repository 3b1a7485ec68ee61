import { UnreadableDocumentError } from '../errors.js';
import type { FileSource } from '../types.js';
import { unsupportedFilters, unsupportedReason } from './pdf-features.js';
import { isJunkText } from './text-quality.js';
import { ARCHIVE_KINDS, kindOfName, READABLE_KINDS, type DocumentKind } from '../document-kinds.js';
import { declaredTotal, listZip, unzipLimits } from '../util/safe-unzip.js';
import { decodeText, describeContent, hasPdfStructure, isPdf, isZip, looksLikeText, startsLikePdf } from './sniff.js';

/** What reading a document's pages found, as far as a refusal needs it. */
export interface ReadOutcome {
  readonly chunks: number;
  readonly damage: readonly string[];
  readonly ocrOverBudget: readonly number[];
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

export function refuse(code: string, name: string, reason: string, detail?: string): UnreadableDocumentError {
  return new UnreadableDocumentError(code, `Docent can't index “${name}”: ${reason}.`, detail ? { detail } : undefined);
}

/** A refusal from deeper down (the reader) gets the file's name in front; anything else is passed on. */
export function asRefusal(error: unknown, name: string): unknown {
  if (error instanceof UnreadableDocumentError && !error.userMessage.startsWith('Docent ')) {
    return refuse(error.code, name, error.userMessage, error.message);
  }
  return error;
}

/** The limits an upload is first checked against: its size (MAX_PDF_MB) and, for Office files, what their archive claims (MAX_UNPACKED_MB). */
export interface UploadLimits {
  readonly maxBytes: number;
  readonly maxUnpackedBytes?: number | undefined;
}

/** Reads the upload within MAX_PDF_MB and refuses what is empty or not a document Docent reads, before anything is stored. */
export async function readWithinLimits(file: FileSource, limits: UploadLimits): Promise<Buffer> {
  const { maxBytes } = limits;
  const limitText = `${formatMegabytes(maxBytes)} (MAX_PDF_MB)`;
  if (file.size !== undefined && file.size > maxBytes) {
    throw refuse('pdf_too_large', file.name, `it is ${formatMegabytes(file.size)}, over the limit of ${limitText}`);
  }
  const data = await file.read(maxBytes);
  if (data.length > maxBytes) throw refuse('pdf_too_large', file.name, `it is larger than the limit of ${limitText}`);
  if (data.length === 0) throw refuse('pdf_empty', file.name, 'the file is empty (0 bytes)');
  documentKind(file.name, data, limits.maxUnpackedBytes);
  return data;
}

/**
 * What a file is, by its name and its content together, or a refusal that says what it looks like
 * instead. A file named and built as text stays text even when it quotes a PDF header (a README
 * about PDFs); a text name on bytes that begin as a PDF, or that are binary and hold a PDF, is a
 * PDF. A file named .pdf, or with no name Docent knows, is a PDF when it has a PDF header (as the
 * readers accept it) or a PDF's structure without one.
 */
export function documentKind(name: string, data: Buffer, maxUnpackedBytes?: number): DocumentKind {
  const kind = kindOfName(name);
  const pdfInside = () => isPdf(data) || hasPdfStructure(data);
  if (kind === undefined || kind === 'pdf') {
    if (pdfInside()) return 'pdf';
    const looks = describeContent(data);
    throw kind === 'pdf' || !/\.[a-z0-9]+$/i.test(name.trim())
      ? refuse('not_pdf', name, `it is not a PDF (it looks like ${looks})`)
      : refuse('unsupported_format', name, `Docent reads ${READABLE_KINDS}, and this is none of them (it looks like ${looks})`);
  }
  if (ARCHIVE_KINDS.has(kind)) {
    if (!isZip(data) && pdfInside()) return 'pdf';
    const what = kind === 'docx' ? 'a Word document' : kind === 'pptx' ? 'a PowerPoint file' : 'an Excel file';
    if (!isZip(data)) throw refuse(`not_${kind}`, name, `it is named .${kind} but is not ${what} (it looks like ${describeContent(data)})`);
    checkArchive(data, name, kind, maxUnpackedBytes);
    return kind;
  }
  if (startsLikePdf(data)) return 'pdf';
  if (!looksLikeText(data)) {
    if (pdfInside()) return 'pdf';
    throw binaryText(name, kind, data);
  }
  return kind;
}

const TEXT_NAMES: Readonly<Partial<Record<DocumentKind, string>>> = { text: 'text', csv: 'CSV', html: 'HTML', markdown: 'Markdown' };

/** A text name on binary bytes: said as such, with what the bytes look like when that is known. */
function binaryText(name: string, kind: DocumentKind, data: Buffer): UnreadableDocumentError {
  const looks = describeContent(data);
  const known = looks === 'plain text' || looks === 'an unrecognised binary file' ? '' : ` (${looks})`;
  return refuse('binary_text', name, `it is named like a ${TEXT_NAMES[kind] ?? 'text'} file, but it looks like binary data, not text${known}`);
}

/** The reader could not open the file: "damaged" may really be a feature the reader lacks, so say which. */
export function openFailure(error: unknown, data: Buffer, name: string): unknown {
  if (error instanceof UnreadableDocumentError && error.code === 'pdf_corrupt') {
    const filters = unsupportedFilters(data);
    if (filters.length > 0) return refuse('pdf_unsupported', name, unsupportedReason(filters), error.message);
  }
  return asRefusal(error, name);
}

/**
 * Why a document that opened yielded no passage, most specific cause first: OCR out of time, a
 * stream filter the reader lacks, damage, or simply no text (a scan without OCR, or blank pages).
 * Undefined when passages were found.
 */
export function emptyDocumentRefusal(outcome: ReadOutcome, data: Buffer, name: string, ocr: { enabled: boolean; timeoutMs: number | undefined }): UnreadableDocumentError | undefined {
  if (outcome.chunks > 0) return undefined;
  const kind = kindOfName(name);
  if (kind !== undefined && kind !== 'pdf' && !startsLikePdf(data) && (ARCHIVE_KINDS.has(kind) ? isZip(data) : looksLikeText(data))) {
    // A text or Office document without a passage: nothing to index, and nothing to OCR.
    if (!ARCHIVE_KINDS.has(kind) && isJunkText(decodeText(data))) return binaryText(name, kind, data);
    return refuse('no_text', name, 'it holds no text to index');
  }
  if (outcome.ocrOverBudget.length > 0) {
    return refuse('ocr_timeout', name, `reading its scanned pages by OCR took longer than the ${Math.round((ocr.timeoutMs ?? 0) / 1000)} s budget (OCR_TIMEOUT_SECONDS) before any text was found`);
  }
  const filters = unsupportedFilters(data);
  if (filters.length > 0) return refuse('pdf_unsupported', name, unsupportedReason(filters));
  if (outcome.damage.length > 0) {
    // Nothing readable in a file the reader had to repair: it is damaged, not a scan.
    return refuse('pdf_corrupt', name, `it is damaged and no text could be read from it (${describeDamage(outcome.damage)}); if it was cut off while downloading, upload it again`);
  }
  return refuse(
    'pdf_no_text',
    name,
    ocr.enabled ? 'it has no extractable text, and reading its pages as images (OCR) found none either' : 'it has no extractable text; it looks like a scanned document or images only',
  );
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

/**
 * Refuses an archive whose directory already claims too much (more parts, or more bytes in all or
 * relative to its size, than the limits allow) before anything is unpacked. This is only the
 * first filter: the reader counts what the parts really inflate to (util/safe-unzip.ts).
 */
function checkArchive(data: Buffer, name: string, kind: DocumentKind, maxUnpackedBytes: number | undefined): void {
  const limits = unzipLimits(maxUnpackedBytes);
  let bytes: number;
  let entries: number;
  try {
    const listing = listZip(data, limits.maxEntries);
    bytes = declaredTotal(listing);
    entries = listing.length;
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw refuse(error.code, name, error.userMessage);
    throw refuse(`${kind}_corrupt`, name, `it is not a readable Office file (${error instanceof Error ? error.message : String(error)})`);
  }
  const parts = `${entries.toLocaleString('en-US')} part${entries === 1 ? '' : 's'}`;
  if (bytes > limits.maxBytes) {
    throw refuse('zip_bomb', name, `it would unpack to ${formatMegabytes(bytes)} in ${parts}, over the limit of ${formatMegabytes(limits.maxBytes)} (MAX_UNPACKED_MB): far more than a document holds (a zip bomb?)`);
  }
  if (bytes > data.length * limits.maxRatio) {
    throw refuse('zip_bomb', name, `it would unpack to ${formatMegabytes(bytes)} in ${parts}, more than ${limits.maxRatio} times its size: far more than a document holds (a zip bomb?)`);
  }
}
