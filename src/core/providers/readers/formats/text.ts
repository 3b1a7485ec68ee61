import { byPartName, textFormat } from './building-blocks.js';

/** Plain text: groups of 60 lines, headings guessed from the lines themselves (text-documents.ts); cited "lines 1–60". */
export const text = textFormat({
  id: 'text',
  name: 'a text file',
  listed: 'plain text (.txt)',
  extensions: ['txt', 'text'],
  mimeTypes: ['text/plain'],
  marksHeadings: false,
  citation: byPartName,
  called: 'text',
});
