import { UnreadableDocumentError } from '../../../ports/errors.js';
import { byPartName, textFormat } from './building-blocks.js';

/** CSV and TSV (the delimiter guessed from the first line): groups of rows with their headers (text-documents.ts); cited "rows 2–26". */
export const csv = textFormat({
  id: 'csv',
  name: 'a CSV file',
  listed: 'CSV (.csv, .tsv)',
  extensions: ['csv', 'tsv'],
  mimeTypes: ['text/csv', 'text/tab-separated-values'],
  marksHeadings: true,
  citation: byPartName,
  called: 'CSV',
  refusals: { damaged: (cause) => new UnreadableDocumentError('csv_broken', `its rows could not be read as CSV (${cause})`) },
});
