import { bySection, officeRefusals, zipBytes } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** Word: read by mammoth into HTML, then by section like HTML (office-documents.ts); cited "§ Heading". */
export const docx: DocumentFormat = {
  id: 'docx',
  name: 'a Word document',
  listed: 'Word (.docx)',
  extensions: ['docx'],
  mimeTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  bytes: zipBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../office-documents.js')).docxParts(data), marksHeadings: true },
  citation: bySection,
  refusals: officeRefusals('docx', 'a Word document', 'Word document'),
};
