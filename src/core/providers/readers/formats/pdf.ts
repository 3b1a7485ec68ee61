import { UnreadableDocumentError } from '../../../ports/errors.js';
import { hasPdfStructure, isPdf, startsLikePdf } from '../../../lib/sniff.js';
import type { DocumentFormat } from './document-format.js';

/**
 * PDF, told by its bytes whatever the file's name: a `%PDF-` header (anywhere in the first
 * megabyte, as the readers accept it) or a PDF's structure without one. A file whose name says no
 * format Docent reads is read as a PDF when it holds one. The PDF reader (pdf-parser.ts, its
 * worker pdf-worker.mjs) words its own failures: damaged, password-protected, too complex
 * (pdf-refusals.ts); a PDF that yields no text is explained by the ingest (ingest-refusals.ts).
 */
export const pdf: DocumentFormat = {
  id: 'pdf',
  name: 'a PDF',
  listed: 'PDF',
  extensions: ['pdf'],
  mimeTypes: ['application/pdf'],
  bytes: { holds: (data) => isPdf(data) || hasPdfStructure(data), begins: startsLikePdf },
  reader: { kind: 'pages' },
  citation: { unit: 'page', place: (page) => `page ${page}` },
  refusals: { mismatch: (looks) => new UnreadableDocumentError('not_pdf', `it is not a PDF (it looks like ${looks})`) },
};
