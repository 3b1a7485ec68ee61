import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/index.js';
import { documentKind } from '../../../src/core/knowledge/ingest/ingest-refusals.js';
import { decodeText, hasPdfStructure, looksLikeText } from '../../../src/core/lib/sniff.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../helpers/core.js';
import { makePdf } from '../../helpers/pdfs.js';

// What a file is (PDF, text, binary) and how its text is decoded, told from its name and bytes together.

const readme = `# Reading PDFs

A PDF file starts with a header line such as %PDF-1.7, then numbered objects such as 1 0 obj … endobj,
a cross-reference table (xref), a trailer and startxref. This README only talks about them.
`;

/** A real PDF without its first line (the `%PDF-1.3` header): what some tools leave behind. */
async function headerlessPdf(text: string): Promise<Buffer> {
  const pdf = await makePdf([{ heading: 'Harbour cranes', paragraphs: [text] }]);
  return pdf.subarray(pdf.indexOf(0x0a) + 1);
}

describe('telling PDFs from text', () => {
  it('a Markdown or text file that quotes a PDF header and PDF keywords stays text', () => {
    expect(documentKind('README.md', Buffer.from(readme))).toBe('markdown');
    expect(documentKind('notes.txt', Buffer.from(`Broken uploads start with %PDF-1.7 too.\n${readme}`))).toBe('text');
  });

  it('a file that begins as a PDF is a PDF whatever its text name; so is a binary file holding one', async () => {
    const pdf = await makePdf([{ paragraphs: ['The night ferry leaves at 22:30.'] }]);
    expect(documentKind('minutes.txt', pdf)).toBe('pdf');
    expect(documentKind('minutes.md', Buffer.concat([Buffer.from([0x00, 0x01, 0x02, 0x03]), pdf]))).toBe('pdf');
  });

  it('a PDF without its %PDF- header line is recognised by its structure, under a .pdf name or none', async () => {
    const pdf = await headerlessPdf('Two electric cranes arrive in March.');
    expect(pdf.includes('%PDF-')).toBe(false);
    expect(hasPdfStructure(pdf)).toBe(true);
    expect(documentKind('cranes.pdf', pdf)).toBe('pdf');
    expect(documentKind('cranes', pdf)).toBe('pdf');
    expect(hasPdfStructure(Buffer.from(readme))).toBe(true);
    // Text that only describes a PDF's structure is text under a text name.
    expect(documentKind('README.md', Buffer.from(readme))).toBe('markdown');
  });

  it('binary data under a text name is refused as binary, saying what it looks like when known', () => {
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(() => documentKind('data.csv', noise)).toThrow(/^Docent can't index “data\.csv”: it is named like a CSV file, but it looks like binary data, not text\.$/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    expect(() => documentKind('notes.md', png)).toThrow(/named like a Markdown file, but it looks like binary data, not text \(a PNG image\)/);
  });
});

describe('decoding text', () => {
  it('UTF-8 with a few bad bytes stays UTF-8: the bad bytes become U+FFFD, every accent is kept', () => {
    const good = Buffer.from('Le café du port ouvre à 7 h. Über die Brücke, señor. '.repeat(5));
    const text = decodeText(Buffer.concat([good, Buffer.from([0xe9, 0x20, 0xff]), good]));
    expect(text).toContain('Le café du port ouvre à 7 h. Über die Brücke, señor.');
    expect(text.match(/\uFFFD/g)).toHaveLength(2);
    expect(text).not.toContain('Ã©');
  });

  it('Windows-1252 text (no valid UTF-8 among its accents) is read as Windows-1252', () => {
    expect(decodeText(Buffer.from('Le café coûte deux euros', 'latin1'))).toBe('Le café coûte deux euros');
    expect(decodeText(Buffer.from([0x4c, 0x65, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x35, 0x20, 0x93, 0x6f, 0x6b, 0x94]))).toBe('Le café €5 “ok”');
  });

  it('a UTF-8 byte-order mark is dropped', () => {
    expect(decodeText(Buffer.from('\ufeffHarbour café', 'utf8'))).toBe('Harbour café');
  });

  it('UTF-16 little- and big-endian with a byte-order mark, and without one (told by its NUL bytes)', () => {
    const line = 'The harbour crane lifts 65 tonnes. Café, Straße.';
    const le = Buffer.from(`\ufeff${line}`, 'utf16le');
    const be = Buffer.from(`\ufeff${line}`, 'utf16le').swap16();
    const bare = Buffer.from(line, 'utf16le');
    const bareBe = Buffer.from(line, 'utf16le').swap16();
    for (const data of [le, be, bare, bareBe]) {
      expect(decodeText(data)).toBe(line);
      expect(looksLikeText(data)).toBe(true);
    }
  });

  it('bytes full of NULs and control characters are not text', () => {
    expect(looksLikeText(Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(64)]))).toBe(false);
    expect(looksLikeText(Buffer.from(Array.from({ length: 512 }, (_, i) => i % 32)))).toBe(false);
  });
});

describe('indexing what the sniffing lets through', () => {
  let core: Core;
  const here = scope('C-sniff');
  const ingest = (name: string, data: Buffer) => core.knowledge.ingest(here, bufferFile(name, data), alice);
  const refusal = (name: string, data: Buffer) => ingest(name, data).then(() => 'indexed', (e: { code: string; userMessage: string }) => `${e.code}: ${e.userMessage}`);

  beforeAll(async () => {
    core = await startCore(testConfig(), { embedder: null });
    await core.start();
  });
  afterAll(() => core.close());

  it('a README that talks about %PDF- headers is indexed as Markdown and found', async () => {
    await ingest('README.md', Buffer.from(readme));
    const { hits } = await core.knowledge.search(here, 'cross-reference table trailer startxref', 1);
    expect(hits[0]).toMatchObject({ file: 'README.md' });
  });

  it('a header-less PDF is opened by the PDF reader and its text indexed', async () => {
    await ingest('cranes.pdf', await headerlessPdf('Two electric cranes arrive in Rotterdam in March.'));
    const { hits } = await core.knowledge.search(here, 'electric cranes Rotterdam', 1);
    expect(hits[0]).toMatchObject({ file: 'cranes.pdf', page: 1 });
  });

  it('a one-line file and a file of one line repeated are indexed', async () => {
    await ingest('one.txt', Buffer.from('The lighthouse keeper rings the fog bell at dawn'));
    await ingest('again.txt', Buffer.from(Array.from({ length: 80 }, () => 'The ferry timetable changes on the first of May').join('\n')));
    expect((await core.knowledge.search(here, 'lighthouse fog bell', 1)).hits[0]).toMatchObject({ file: 'one.txt' });
    expect((await core.knowledge.search(here, 'ferry timetable May', 1)).hits[0]).toMatchObject({ file: 'again.txt' });
  });

  it('UTF-16 text without a byte-order mark is indexed as text', async () => {
    await ingest('utf16.txt', Buffer.from('Die Fähre nach Helgoland fährt um neun Uhr ab.', 'utf16le'));
    expect((await core.knowledge.search(here, 'Fähre Helgoland', 1)).hits[0]).toMatchObject({ file: 'utf16.txt' });
  });

  it('binary data under a text name is refused as binary, never with the scanned-PDF message', async () => {
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const message = await refusal('noise.txt', noise);
    expect(message).toBe('binary_text: Docent can\'t index “noise.txt”: it is named like a text file, but it looks like binary data, not text.');
    expect(message).not.toMatch(/scanned|OCR/);
  });

  it('a text file whose decoded text is mostly control characters is refused as binary, not as a scan', async () => {
    // No control byte at all, and UTF-8 by most of its characters, yet most lines decode to U+FFFD.
    const line = Buffer.concat([Buffer.from([0xf0, 0x28, 0x8c, 0x28, 0xf0, 0x90, 0x28, 0xbc]), Buffer.from('\n')]);
    const broken = Buffer.concat([...Array.from({ length: 100 }, () => line), Buffer.from('ü'.repeat(600))]);
    expect(await refusal('broken.txt', broken)).toMatch(/^binary_text: .*looks like binary data, not text/);
  });
});
