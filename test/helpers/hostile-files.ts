import zlib from 'node:zlib';
import { strToU8 } from 'fflate';

// Hostile uploads of every format, generated (for the tests at small sizes, for bench/hostile-uploads.ts at full size).

export interface ZipPart {
  readonly name: string;
  /** The part's bytes, or a chunk repeated `times` (compressed as it streams, never held whole). */
  readonly data: Uint8Array | { readonly chunk: Uint8Array; readonly times: number };
  /** What the archive's directory claims the part unpacks to, instead of the truth. */
  readonly declared?: number;
}

/**
 * Deflated `data`, a repeated chunk compressed once and its segment repeated (each segment ends on
 * a sync flush, so the segments join into one valid stream): a gigabyte costs a megabyte and no time.
 */
function deflated(data: ZipPart['data']): { compressed: Buffer; size: number; crc: number } {
  if (data instanceof Uint8Array) return { compressed: zlib.deflateRawSync(data, { level: 9 }), size: data.length, crc: zlib.crc32(data) };
  const segment = zlib.deflateRawSync(data.chunk, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < data.times; i++) crc = zlib.crc32(data.chunk, crc);
  const segments: Buffer[] = Array.from({ length: data.times }, () => segment);
  return { compressed: Buffer.concat([...segments, zlib.deflateRawSync(Buffer.alloc(0))]), size: data.chunk.length * data.times, crc };
}

/** A ZIP archive of the parts (deflated), whose directory may lie about their sizes. */
export function streamedZip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const { compressed, size, crc } = deflated(part.data);
    const header = (signature: number, length: number) => {
      const h = Buffer.alloc(length);
      h.writeUInt32LE(signature, 0);
      return h;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(part.declared ?? size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = header(0x02014b50, 46);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(compressed.length, 20);
    entry.writeUInt32LE(part.declared ?? size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    central.push(entry, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const MIB = 1024 * 1024;
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const rels = (target: string) =>
  strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target}"/></Relationships>`);

/** Repeats `text` to about `bytes` bytes, in 1 MiB chunks. */
function repeated(text: string, bytes: number): { chunk: Uint8Array; times: number } {
  const chunk = strToU8(text.repeat(Math.max(1, Math.floor(Math.min(bytes, MIB) / text.length))));
  return { chunk, times: Math.max(1, Math.round(bytes / chunk.length)) };
}

/** A Word document whose body unpacks to about `bytes` of paragraphs while its directory claims 4 KB. */
export function docxBomb(bytes: number, declared = 4096): Buffer {
  return streamedZip([
    { name: '[Content_Types].xml', data: strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>') },
    { name: 'word/document.xml', data: repeated(`<w:p ${W}><w:r><w:t>${'bomb '.repeat(2000)}</w:t></w:r></w:p>`, bytes), declared },
  ]);
}

/** An Excel workbook whose shared-strings part unpacks to about `bytes` (its directory claiming `declared`, or the truth). */
export function sharedStringsBomb(bytes: number, declared?: number): Buffer {
  return streamedZip([
    { name: 'xl/workbook.xml', data: strToU8(`<?xml version="1.0" encoding="UTF-8"?><workbook ${S}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: rels('worksheets/sheet1.xml') },
    { name: 'xl/worksheets/sheet1.xml', data: strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${S}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`) },
    { name: 'xl/sharedStrings.xml', data: repeated('<si><t>a shared string repeated without end</t></si>', bytes), ...(declared !== undefined ? { declared } : {}) },
  ]);
}

/** A PowerPoint deck whose one slide unpacks to about `bytes` while its directory claims 4 KB. */
export function pptxBomb(bytes: number): Buffer {
  const P = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  return streamedZip([
    { name: 'ppt/presentation.xml', data: strToU8(`<?xml version="1.0" encoding="UTF-8"?><p:presentation ${P}><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>`) },
    { name: 'ppt/_rels/presentation.xml.rels', data: rels('slides/slide1.xml') },
    { name: 'ppt/slides/slide1.xml', data: repeated('<a:p><a:r><a:t>slide text</a:t></a:r></a:p>', bytes), declared: 4096 },
  ]);
}

/** One line of HTML, about `bytes` long: paragraphs and inline elements, no line break anywhere. */
export function oneLineHtml(bytes: number): Buffer {
  const unit = '<p>One more paragraph of a page that never ends, with <b>bold</b> and <a href="#x">a link</a>.</p>';
  return Buffer.from(`<!doctype html><html><body><h1>Endless</h1>${unit.repeat(Math.ceil(bytes / unit.length))}</body></html>`);
}

/** A CSV whose header and one row have `columns` columns. */
export function wideCsv(columns: number): Buffer {
  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(',');
  const row = Array.from({ length: columns }, (_, i) => String(i)).join(',');
  return Buffer.from(`${header}\n${row}\n`);
}

/** Plain text of one line, about `bytes` long (words, no line break). */
export function oneLineText(bytes: number): Buffer {
  const unit = 'the harbour master logs every ship that enters the port ';
  return Buffer.from(unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes));
}
