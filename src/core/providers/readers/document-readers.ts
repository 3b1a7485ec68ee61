import type { DocumentParser } from '../../ports/ports.js';
import { documentFormats } from './formats/index.js';

/** One parser for every format: each file to the reader its format (the kind the ingest found) names, the PDF reader or the parts reader. */
export function readersByKind(pdf: DocumentParser, text: DocumentParser): DocumentParser {
  return {
    open: (data, options) => (options.kind !== undefined && documentFormats.byId(options.kind)?.reader.kind === 'parts' ? text : pdf).open(data, options),
    close: async () => {
      await Promise.all([pdf.close(), text.close()]);
    },
  };
}
