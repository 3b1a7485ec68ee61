import { byPartName, textBytes, textRefusals } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** Plain text: groups of 60 lines, headings guessed from the lines themselves (text-documents.ts); cited "lines 1–60". */
export const text: DocumentFormat = {
  id: 'text',
  name: 'a text file',
  listed: 'plain text (.txt)',
  extensions: ['txt', 'text'],
  mimeTypes: ['text/plain'],
  bytes: textBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../text-documents.js')).textReaders.text(data), marksHeadings: false },
  citation: byPartName,
  refusals: textRefusals('text'),
};
