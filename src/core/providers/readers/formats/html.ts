import { bySection, textBytes, textRefusals } from './building-blocks.js';
import type { DocumentFormat } from './document-format.js';

/** HTML: by section, the page's furniture (navigation, scripts, forms) skipped (text-documents.ts); cited "§ Heading". */
export const html: DocumentFormat = {
  id: 'html',
  name: 'an HTML page',
  listed: 'HTML (.html)',
  extensions: ['html', 'htm'],
  mimeTypes: ['text/html'],
  bytes: textBytes,
  reader: { kind: 'parts', read: async (data) => (await import('../text-documents.js')).textReaders.html(data), marksHeadings: true },
  citation: bySection,
  refusals: textRefusals('HTML'),
};
