import { posix } from 'node:path';
import { strFromU8, zipSync } from 'fflate';
import mammoth from 'mammoth';
import { UnreadableDocumentError } from '../../ports/errors.js';
import { DamagedFileError } from './damaged-file.js';
import type { TextPart } from './formats/document-format.js';
import { unpackArchive } from './unpack-archive.js';
import { walkXml } from './office-xml.js';
import { slideText } from './pptx-slides.js';
import { htmlParts } from './text-documents.js';
import { cellDisplay, sharedStrings, sheetRows } from './xlsx-cells.js';
import { sheetParts } from './xlsx-tables.js';

/** Most cells of a workbook Docent reads: beyond, the sheet is refused as too large to be a document. */
const MAX_CELLS = 1_000_000;

type Files = Record<string, Uint8Array>;

/**
 * A Word document, read by mammoth (headings by their Word styles become h1–h6, tables stay
 * tables); the HTML reader then cuts sections. The archive is unpacked under the unpack limits
 * first and handed to mammoth as an archive of those checked, already inflated parts, so mammoth
 * never inflates anything the limits did not see.
 */
export async function docxParts(data: Buffer): Promise<TextPart[]> {
  // Stored, not compressed: mammoth's unzip copies the bytes as they are.
  const checked = Buffer.from(zipSync(unpackArchive(data), { level: 0 }));
  let html: string;
  try {
    // Images are not text: each becomes an empty <img> instead of mammoth's default, a base64
    // copy of the picture inlined in the HTML (an image-heavy document would cost its size
    // again, a third larger, for nothing).
    html = (await mammoth.convertToHtml({ buffer: checked }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) })).value;
  } catch (error) {
    throw new DamagedFileError(error instanceof Error ? error.message : String(error));
  }
  return htmlParts(html);
}

/** The parts a relationships file names, by id, as paths inside the archive. */
function relationships(files: Files, path: string, base: string): Map<string, string> {
  const targets = new Map<string, string>();
  const xml = files[path];
  if (!xml) return targets;
  walkXml(strFromU8(xml), {
    open(name, a) {
      if (name === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : posix.normalize(`${base}${a.Target}`));
    },
  });
  return targets;
}

/** The ordered list of parts a main part names (slides of a presentation, sheets of a workbook). */
function ordered(files: Files, main: string, rels: string, base: string, element: string): { name: string; path: string }[] {
  const targets = relationships(files, rels, base);
  const parts: { name: string; path: string }[] = [];
  const xml = files[main];
  if (!xml) return parts;
  walkXml(strFromU8(xml), {
    open(name, a) {
      const id = a['r:id'];
      const path = id ? targets.get(id) : undefined;
      if (name === element && path) parts.push({ name: a.name ?? '', path });
    },
  });
  return parts;
}

/**
 * A PowerPoint deck, slide by slide in the deck's order (presentation.xml), each cited "slide N"
 * with its title as its heading (the title placeholder, or else the one paragraph set larger than
 * everything else on the slide). Every shape's text is read, in grouped shapes too; tables row by
 * row with their header row ("Header: value; Header: value"); speaker notes with their slide.
 * Slide numbers, dates, footers and the prompts of empty placeholders are not content.
 */
export function pptxParts(data: Buffer): TextPart[] {
  const files = unpackArchive(data, (name) => (name.startsWith('ppt/') && name.endsWith('.xml')) || name.endsWith('.rels'));
  const slides = ordered(files, 'ppt/presentation.xml', 'ppt/_rels/presentation.xml.rels', 'ppt/', 'sldId');
  return slides.map(({ path }, index) => {
    const slide = slideText(files[path]);
    const notesPath = [...relationships(files, path.replace(/([^/]+)$/, '_rels/$1.rels'), path.replace(/[^/]+$/, '')).values()].find((p) => p.includes('notesSlide'));
    const notes = notesPath ? slideText(files[notesPath], false).body : '';
    const text = [slide.title, slide.body, notes ? `Notes: ${notes}` : ''].filter((t) => t.length > 0).join('\n\n');
    // An untitled slide is its own section too: it never takes the previous slide's title.
    return { text, section: slide.title || `slide ${index + 1}` };
  });
}

/**
 * An Excel workbook, sheet by sheet in the workbook's order. Cells read as Excel displays them:
 * number formats from the workbook's styles (dates, times, percentages, currency, thousands
 * separators, decimals; the 1904 date system when the workbook uses it); an all-numeric date
 * ("1/10/16", whose day and month order depends on the reader's country) also gets its ISO form
 * beside it: "1/10/16 (2016-01-10)". A table's header is the row of text cells that heads the
 * longest run of rows filling its columns, so a title and notes above it are not taken for one;
 * they, and any row outside a table, are kept as text. Every table row keeps its column headers
 * ("Column: value; …"), and parts of about one passage are cited "sheet Budget, rows 10–18".
 */
export function xlsxParts(data: Buffer, maxCells = MAX_CELLS): TextPart[] {
  const files = unpackArchive(data, (name) => name.startsWith('xl/') && (name.endsWith('.xml') || name.endsWith('.rels')));
  const strings = sharedStrings(files['xl/sharedStrings.xml']);
  const display = cellDisplay(files['xl/styles.xml'], files['xl/workbook.xml']);
  const sheets = ordered(files, 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/', 'sheet');
  const parts: TextPart[] = [];
  let cells = 0;
  for (const sheet of sheets) {
    const rows = sheetRows(files[sheet.path], strings, display);
    cells += rows.reduce((n, r) => n + r.cells.length, 0);
    if (cells > maxCells) throw new UnreadableDocumentError('sheet_too_large', `its sheets hold more than ${maxCells.toLocaleString('en-US')} cells, too many to index`);
    parts.push(...sheetParts(sheet.name, rows));
  }
  return parts;
}

