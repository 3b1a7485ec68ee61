import { UnreadableDocumentError } from '../../../ports/errors.js';
import { byPartName, textBytes, textRefusals } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** CSV and TSV (the delimiter guessed from the first line): groups of rows with their headers (text-documents.ts); cited "rows 2–26". */
export const csv: DocumentFormat = {
  id: 'csv',
  name: 'a CSV file',
  listed: 'CSV (.csv, .tsv)',
  extensions: ['csv', 'tsv'],
  mimeTypes: ['text/csv', 'text/tab-separated-values'],
  bytes: textBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../text-documents.js')).textReaders.csv(data), marksHeadings: true },
  citation: byPartName,
  refusals: { ...textRefusals('CSV'), damaged: (cause) => new UnreadableDocumentError('csv_broken', `its rows could not be read as CSV (${cause})`) },
};
