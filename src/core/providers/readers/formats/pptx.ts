import { officeRefusals, zipBytes } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** PowerPoint: slide by slide in the deck's order, with speaker notes (office-documents.ts); cited "slide 4". */
export const pptx: DocumentFormat = {
  id: 'pptx',
  name: 'a PowerPoint file',
  listed: 'PowerPoint (.pptx)',
  extensions: ['pptx'],
  mimeTypes: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  bytes: zipBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../office-documents.js')).pptxParts(data), marksHeadings: true },
  citation: { unit: 'slide', place: (page) => `slide ${page}` },
  refusals: officeRefusals('pptx', 'a PowerPoint file', 'PowerPoint file'),
};
