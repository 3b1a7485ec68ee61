import { UnreadableDocumentError } from '../../ports/errors.js';
import { documentFormats } from '../../providers/readers/formats/index.js';
import type { FileSource } from '../../ports/types.js';
import { formatMegabytes } from '../../lib/megabytes.js';
import { unsupportedFilters, unsupportedReason } from './pdf-features.js';
import { isJunkText } from './text-quality.js';
import { decodeText } from '../../lib/sniff.js';

export { formatMegabytes };

/** What reading a document's pages found, as far as a refusal needs it. */
export interface ReadOutcome {
  readonly chunks: number;
  readonly damage: readonly string[];
  readonly ocrOverBudget: readonly number[];
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
 * readers accept it) or a PDF's structure without one. An archive's directory is checked against
 * the unpack limits (MAX_UNPACKED_MB). The formats and their wording: providers/readers/formats.
 */
export function documentKind(name: string, data: Buffer, maxUnpackedBytes?: number): string {
  try {
    return documentFormats.recognise(name, data, maxUnpackedBytes).id;
  } catch (error) {
    throw error instanceof UnreadableDocumentError ? refuse(error.code, name, error.userMessage) : error;
  }
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
  const format = documentFormats.readAs(name, data);
  if (format?.reader.kind === 'parts') {
    // A document read in parts (text, Office) without a passage: nothing to index, and nothing to OCR.
    if (format.bytes.text && isJunkText(decodeText(data))) {
      const { code, userMessage } = documentFormats.mismatch(format, name, data);
      return refuse(code, name, userMessage);
    }
    return refuse('no_text', name, 'it holds no text to index');
  }
  // Read by the page reader (a PDF): its pages may be scans, damaged, or compressed in a way it lacks.
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
