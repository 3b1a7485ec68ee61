import type { DocumentParser } from '../ports.js';

/** One parser for every format: PDFs to the PDF reader, the rest (by the kind the ingest found) to the text formats' reader. */
export function readersByKind(pdf: DocumentParser, text: DocumentParser): DocumentParser {
  return {
    open: (data, options) => (options.kind !== undefined && options.kind !== 'pdf' ? text : pdf).open(data, options),
    close: async () => {
      await Promise.all([pdf.close(), text.close()]);
    },
  };
}
