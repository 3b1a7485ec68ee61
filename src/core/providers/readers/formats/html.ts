import { bySection, textFormat } from './building-blocks.js';

/** HTML: by section, the page's furniture (navigation, scripts, forms) skipped (text-documents.ts); cited "§ Heading". */
export const html = textFormat({
  id: 'html',
  name: 'an HTML page',
  listed: 'HTML (.html)',
  extensions: ['html', 'htm'],
  mimeTypes: ['text/html'],
  marksHeadings: true,
  citation: bySection,
  called: 'HTML',
});
