import { bySection, textFormat } from './building-blocks.js';

/** Markdown (CommonMark/GFM, front matter kept out): by section (text-documents.ts); cited "§ Heading". */
export const markdown = textFormat({
  id: 'markdown',
  name: 'a Markdown file',
  listed: 'Markdown (.md)',
  extensions: ['md', 'markdown'],
  mimeTypes: ['text/markdown'],
  marksHeadings: true,
  citation: bySection,
  called: 'Markdown',
});
