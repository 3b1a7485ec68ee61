import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { UnreadableDocumentError } from '../../../../src/core/ports/errors.js';
import { documentKind } from '../../../../src/core/knowledge/ingest/ingest-refusals.js';
import { DamagedFileError } from '../../../../src/core/providers/readers/damaged-file.js';
import { bySection, textBytes, zipBytes } from '../../../../src/core/providers/readers/formats/building-blocks.js';
import type { DocumentFormat } from '../../../../src/core/providers/readers/formats/document-format.js';
import { documentFormats, FORMATS } from '../../../../src/core/providers/readers/formats/index.js';
import { createFormatRegistry } from '../../../../src/core/providers/readers/formats/registry.js';
import { unpackArchive } from '../../../../src/core/providers/readers/unpack-archive.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { makeDocx, makePptx, makeXlsx } from '../../../helpers/docx.js';
import { makePdf } from '../../../helpers/pdfs.js';

// The document formats registry: every format declared once, and every question about formats
// (names, MIME types, sniffing, readers, citations, refusals) answered from those declarations.

/** Every key each format declares, to the formats that declare it. */
function declaredBy(keys: (format: DocumentFormat) => readonly string[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const format of FORMATS) for (const key of keys(format)) owners.set(key, [...(owners.get(key) ?? []), format.id]);
  return owners;
}

/** The archive with every part's compression method set to one no ZIP reader knows: its directory lists, its parts do not unpack. */
function unknownCompression(zip: Buffer): Buffer {
  const copy = Buffer.from(zip);
  const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = copy.indexOf(central); at >= 0; at = copy.indexOf(central, at + 4)) copy.writeUInt16LE(99, at + 10);
  return copy;
}

/** A format a test declares: EPUB books, ZIP archives whose chapters are XHTML, read here by a stand-in reader. */
const epub: DocumentFormat = {
  id: 'epub',
  name: 'an EPUB book',
  listed: 'EPUB (.epub)',
  extensions: ['epub'],
  mimeTypes: ['application/epub+zip'],
  bytes: zipBytes,
  reader: {
    kind: 'parts',
    read: async (data) => Object.keys(unpackArchive(data, (name) => name.endsWith('.xhtml'))).map((name) => ({ text: name, section: name })),
    marksHeadings: true,
  },
  citation: bySection,
  refusals: {
    mismatch: (looks) => new UnreadableDocumentError('not_epub', `it is named .epub but is not an EPUB book (it looks like ${looks})`),
    damaged: (cause) => new UnreadableDocumentError('epub_corrupt', `it is not a readable EPUB book (${cause})`),
    brokenArchive: (cause) => new UnreadableDocumentError('epub_corrupt', `its archive is not a readable EPUB book (${cause})`),
  },
};

describe('the formats registry', () => {
  it('maps every extension, MIME type and id to exactly one format', () => {
    for (const keys of [(f: DocumentFormat) => f.extensions, (f: DocumentFormat) => f.mimeTypes, (f: DocumentFormat) => [f.id]]) {
      const shared = [...declaredBy(keys)].filter(([, owners]) => owners.length > 1);
      expect(shared).toEqual([]);
    }
    for (const [extension, [id]] of declaredBy((f) => f.extensions)) expect(documentFormats.ofName(`report.${extension.toUpperCase()}`)?.id).toBe(id);
    expect(FORMATS.map((f) => f.id)).toEqual(['pdf', 'docx', 'pptx', 'xlsx', 'markdown', 'html', 'csv', 'text']);
  });

  it('gives every format a reader, a citation label and refusal wording', () => {
    for (const format of FORMATS) {
      expect(format.reader.kind === 'pages' || typeof format.reader.read === 'function', format.id).toBe(true);
      expect(format.citation.place(3, undefined), format.id).toMatch(/\S/);
      expect(['page', 'slide', 'section', 'part']).toContain(format.citation.unit);
      const refusal = format.refusals.mismatch('a PNG image', format.extensions[0] ?? '');
      expect(refusal).toBeInstanceOf(UnreadableDocumentError);
      expect(refusal.code, format.id).toMatch(/^[a-z_]+$/);
      expect(refusal.userMessage, format.id).toMatch(/^it /);
      if (format.bytes.archive) expect(format.refusals.brokenArchive?.('no end of central directory record').userMessage, format.id).toContain('no end of central directory record');
    }
    // Files without a known name are read as (and cited like) the one format told by its bytes whatever the name.
    expect(FORMATS.filter((f) => f.bytes.begins !== undefined).map((f) => f.id)).toEqual(['pdf']);
    expect(documentFormats.citedAs('scan-0042').citation.place(3, undefined)).toBe('page 3');
  });

  it('refuses a list in which two formats claim the same extension or MIME type, or none is told by its bytes alone', () => {
    expect(() => createFormatRegistry([...FORMATS, { ...epub, extensions: ['epub', 'md'] }])).toThrow('the extension md is declared by both markdown and epub');
    expect(() => createFormatRegistry([...FORMATS, { ...epub, mimeTypes: ['text/plain'] }])).toThrow('the MIME type text/plain is declared by both text and epub');
    expect(() => createFormatRegistry([...FORMATS, { ...epub, extensions: ['.epub'] }])).toThrow(/epub declares an extension that is not lowercase/);
    expect(() => createFormatRegistry([...FORMATS, { ...epub, refusals: { mismatch: epub.refusals.mismatch } }])).toThrow(/epub is an archive but declares no refusal for a broken one/);
    expect(() => createFormatRegistry(FORMATS.filter((f) => f.id !== 'pdf'))).toThrow(/no format is told by its bytes whatever the name/);
  });

  it('a format declared in one file and listed shows up in names, the readable list, sniffing, reading, citations and refusals', async () => {
    const formats = createFormatRegistry([...FORMATS, epub]);
    const book = Buffer.from(zipSync({ mimetype: strToU8('application/epub+zip'), 'OEBPS/chapter1.xhtml': strToU8('<html><body><h1>One</h1></body></html>') }));
    expect(formats.ofName('Moby Dick.EPUB')?.id).toBe('epub');
    expect(formats.isDocumentFile('book.epub')).toBe(true);
    expect(formats.readable).toBe('PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), Markdown (.md), HTML (.html), CSV (.csv, .tsv), plain text (.txt) and EPUB (.epub)');
    expect(formats.recognise('book.epub', book).id).toBe('epub');
    expect(formats.citedAs('book.epub').citation.place(2, 'Loomings')).toBe('§ Loomings');
    expect(await formats.read('epub', book)).toEqual([{ text: 'OEBPS/chapter1.xhtml', section: 'OEBPS/chapter1.xhtml' }]);

    const refusal = (name: string, data: Buffer) => {
      try {
        return formats.recognise(name, data).id;
      } catch (error) {
        return error instanceof UnreadableDocumentError ? `${error.code}: ${error.userMessage}` : String(error);
      }
    };
    expect(refusal('book.epub', Buffer.from('a plain text file'))).toBe('not_epub: it is named .epub but is not an EPUB book (it looks like plain text)');
    expect(refusal('book.epub', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]))).toBe('epub_corrupt: its archive is not a readable EPUB book (no end of central directory record)');
    expect(refusal('book.epub', await makePdf([{ paragraphs: ['A PDF named as a book.'] }]))).toBe('pdf');
    expect(refusal('plan.odp', book)).toMatch(/^unsupported_format: Docent reads PDF, .* plain text \(\.txt\) and EPUB \(\.epub\), and this is none of them/);
    await expect(formats.read('epub', unknownCompression(book))).rejects.toThrow(/^it is not a readable EPUB book \(the part \S+ uses compression method 99/);
    // The formats Docent ships are unchanged by another registry.
    expect(documentFormats.ofName('book.epub')).toBeUndefined();
  });

  it('a reader’s damage is said in the words of the format it was read as', async () => {
    const reader = { kind: 'parts', read: () => Promise.reject(new DamagedFileError('the spine is missing')), marksHeadings: false } as const;
    const formats = createFormatRegistry([...FORMATS, { ...epub, reader }, { ...epub, id: 'notes', extensions: ['notes'], mimeTypes: [], bytes: textBytes, reader, refusals: { mismatch: epub.refusals.mismatch } }]);
    await expect(formats.read('epub', Buffer.from('x'))).rejects.toMatchObject({ code: 'epub_corrupt', userMessage: 'it is not a readable EPUB book (the spine is missing)' });
    // A format that declares no damage wording leaves the reader's error to the parts reader's general one.
    await expect(formats.read('notes', Buffer.from('x'))).rejects.toBeInstanceOf(DamagedFileError);
  });
});

describe('archive errors name the format', () => {
  it('a .docx, .pptx or .xlsx whose parts do not unpack is refused as a Word, PowerPoint or Excel file', async () => {
    const core = await startCore(testConfig(), { embedder: null });
    await core.start();
    const here = scope('C-broken-archives');
    const refusal = (name: string, data: Buffer) => core.knowledge.ingest(here, bufferFile(name, data), alice).then(() => 'indexed', (e: { code: string; userMessage: string }) => `${e.code}: ${e.userMessage}`);
    const docx = unknownCompression(makeDocx([{ heading: 'Budget', paragraphs: ['Two cranes in March.'] }]));
    const pptx = unknownCompression(makePptx([{ title: 'Cranes', body: ['Two cranes in March.'] }]));
    const xlsx = unknownCompression(makeXlsx([{ name: 'Cranes', rows: [['Month', 'Cranes'], ['March', 2]] }]));
    expect(documentKind('plan.pptx', pptx)).toBe('pptx');
    expect(await refusal('plan.docx', docx)).toMatch(/^docx_corrupt: Docent can't index “plan\.docx”: it is not a readable Word document \(the part \S+ uses compression method 99, which Office files do not\)\.$/);
    expect(await refusal('plan.pptx', pptx)).toMatch(/^pptx_corrupt: Docent can't index “plan\.pptx”: it is not a readable PowerPoint file \(the part \S+ uses compression method 99, which Office files do not\)\.$/);
    expect(await refusal('plan.xlsx', xlsx)).toMatch(/^xlsx_corrupt: Docent can't index “plan\.xlsx”: it is not a readable Excel file \(the part \S+ uses compression method 99, which Office files do not\)\.$/);
    expect(await core.knowledge.list(here)).toEqual([]);
    await core.close();
  });
});
