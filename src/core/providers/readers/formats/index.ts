/**
 * The document formats Docent reads, one file each in this folder, and the registry every part
 * of Docent asks about them: which names and MIME types promise one, how its bytes are told,
 * which reader opens it, how a place in it is cited, and what users are told when it is refused.
 *
 * To add a document format:
 * 1. Write `<format>.ts` here exporting one `DocumentFormat` (document-format.ts says each field):
 *    - `id` (stable: refusal codes and the readers use it), `name` as a refusal says it ("a Word
 *      document"), `listed` as the list of readable formats says it ("Word (.docx)");
 *    - `extensions` (lowercase, no dot) and `mimeTypes`: each may belong to one format only;
 *    - `bytes`: `zipBytes` or `textBytes` (building-blocks.ts), or your own `holds` test;
 *    - `reader`: `{ kind: 'parts', read, marksHeadings }`, where `read` imports the reader
 *      module inside it (`async (data) => (await import('../../my-reader.js')).myParts(data)`)
 *      and returns the document's parts (`TextPart`: text, and the section it is cited by); the
 *      reader runs in the parts reader's worker under the time, memory and unpack limits, and
 *      throws DamagedFileError (readers/damaged-file.ts) for a broken file, unpackArchive
 *      (readers/unpack-archive.ts) unpacks a ZIP;
 *    - `citation`: `bySection`, `byPartName`, or a unit and a `place` ("slide 4");
 *    - `refusals`: `mismatch` (named as it, but its bytes are not), `damaged` (its reader's
 *      DamagedFileError), and for archives `brokenArchive`; `officeRefusals` and `textRefusals`
 *      (building-blocks.ts) word them as the other formats do.
 *    A text format whose reader is in text-documents.ts is declared with `textFormat`
 *    (building-blocks.ts), which supplies its bytes, reader and refusals (see markdown.ts).
 * 2. Import it below and add it to FORMATS, where the list of readable formats should name it.
 * 3. Add a test that reads a generated file of it (test/core/knowledge/text-formats.test.ts);
 *    test/core/providers/readers/formats.test.ts checks every declaration against the others.
 */
import { createFormatRegistry } from './registry.js';
import { csv } from './csv.js';
import { docx } from './docx.js';
import { html } from './html.js';
import { markdown } from './markdown.js';
import { pdf } from './pdf.js';
import { pptx } from './pptx.js';
import { text } from './text.js';
import { xlsx } from './xlsx.js';

/** In the order the list of readable formats names them. PDF first: files without a known name are read as PDFs. */
export const FORMATS = [pdf, docx, pptx, xlsx, markdown, html, csv, text];

export const documentFormats = createFormatRegistry(FORMATS);

/** What people are told Docent reads. */
export const READABLE_KINDS = documentFormats.readable;

/** The id of the format a file name promises ('pdf', 'docx', …; undefined: not a document Docent reads, as named). */
export function kindOfName(name: string): string | undefined {
  return documentFormats.ofName(name)?.id;
}

/** Whether a posted file is one Docent indexes (by name, or by the MIME type of a PDF). */
export function isDocumentFile(name: string, mimeType?: string): boolean {
  return documentFormats.isDocumentFile(name, mimeType);
}

/** How a place in a document is cited, from its page (or part) number and the heading stored with it: "page 4", "§ Failover", "rows 10–18". */
export function documentLocation(file: string, page: number, heading: string | undefined): string {
  return documentFormats.citedAs(file).citation.place(page, heading);
}

/** "12 pages", or the unit of the file's format: "4 sections", "3 slides", "2 parts". */
export function documentUnits(file: string, count: number): string {
  const { unit } = documentFormats.citedAs(file).citation;
  return `${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`;
}
