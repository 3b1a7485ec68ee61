import { bySection, textBytes, textRefusals } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** Markdown (CommonMark/GFM, front matter kept out): by section (text-documents.ts); cited "§ Heading". */
export const markdown: DocumentFormat = {
  id: 'markdown',
  name: 'a Markdown file',
  listed: 'Markdown (.md)',
  extensions: ['md', 'markdown'],
  mimeTypes: ['text/markdown'],
  bytes: textBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../text-documents.js')).textReaders.markdown(data), marksHeadings: true },
  citation: bySection,
  refusals: textRefusals('Markdown'),
};
