import { byPartName, officeRefusals, zipBytes } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** Excel: sheet by sheet, rows with their column headers (office-documents.ts); cited "sheet Budget, rows 10–18". */
export const xlsx: DocumentFormat = {
  id: 'xlsx',
  name: 'an Excel file',
  listed: 'Excel (.xlsx)',
  extensions: ['xlsx'],
  mimeTypes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  bytes: zipBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../office-documents.js')).xlsxParts(data), marksHeadings: true },
  citation: byPartName,
  refusals: officeRefusals('xlsx', 'an Excel file', 'Excel file'),
};
