import { posix } from 'node:path';
import { strFromU8 } from 'fflate';
import { Parser } from 'htmlparser2';
import { UnreadableDocumentError } from '../errors.js';
import { safeUnzip } from '../util/safe-unzip.js';
import type { TextPart } from './text-documents.js';

/** Most cells of a workbook Docent reads: beyond, the sheet is refused as too large to be a document. */
const MAX_CELLS = 1_000_000;
const PART_CHARS = 1000;
const ROWS_PER_PART = 25;

type Files = Record<string, Uint8Array>;

/** The parts wanted, inflated under the reading's unpack limits (counted on the bytes produced, not the archive's claims). */
function unzip(data: Buffer, what: string, wanted: (name: string) => boolean): Files {
  try {
    return safeUnzip(data, wanted);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw error;
    throw new UnreadableDocumentError(`${what}_corrupt`, `it is not a readable ${what === 'pptx' ? 'PowerPoint' : 'Excel'} file (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Walks an XML part: `open` and `close` get local names (no prefix), `text` the character data. */
function walkXml(xml: string, handlers: { open?(name: string, attributes: Record<string, string>): void; close?(name: string): void; text?(text: string): void }): void {
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  const parser = new Parser(
    {
      onopentag: (name, attributes) => handlers.open?.(local(name), attributes),
      onclosetag: (name) => handlers.close?.(local(name)),
      ontext: (text) => handlers.text?.(text),
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
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
 * A PowerPoint deck, slide by slide in the deck's order (presentation.xml), each cited
 * "slide N" with its title as its heading; speaker notes are read with their slide.
 */
export function pptxParts(data: Buffer): TextPart[] {
  const files = unzip(data, 'pptx', (name) => (name.startsWith('ppt/') && name.endsWith('.xml')) || name.endsWith('.rels'));
  const slides = ordered(files, 'ppt/presentation.xml', 'ppt/_rels/presentation.xml.rels', 'ppt/', 'sldId');
  return slides.map(({ path }) => {
    const slide = slideText(files[path]);
    const notesPath = [...relationships(files, path.replace(/([^/]+)$/, '_rels/$1.rels'), path.replace(/[^/]+$/, '')).values()].find((p) => p.includes('notesSlide'));
    const notes = notesPath ? slideText(files[notesPath]).body : '';
    const text = [slide.title, slide.body, notes ? `Notes: ${notes}` : ''].filter((t) => t.length > 0).join('\n\n');
    return { text, section: slide.title || undefined };
  });
}

function slideText(xml: Uint8Array | undefined): { title: string; body: string } {
  if (!xml) return { title: '', body: '' };
  const shapes: { title: boolean; skip?: boolean; paragraphs: string[] }[] = [];
  let shape: { title: boolean; skip?: boolean; paragraphs: string[] } | undefined;
  let paragraph = '';
  let inText = false;
  walkXml(strFromU8(xml), {
    open(name, a) {
      if (name === 'sp') shape = { title: false, paragraphs: [] };
      if (name === 'ph' && shape && (a.type === 'title' || a.type === 'ctrTitle')) shape.title = true;
      // Slide numbers, dates, headers, footers and the slide image on a notes page are not content.
      if (name === 'ph' && shape && ['sldNum', 'dt', 'ftr', 'hdr', 'sldImg'].includes(a.type ?? '')) shape.skip = true;
      if (name === 't') inText = true;
      if (name === 'p') paragraph = '';
    },
    text(text) {
      if (inText) paragraph += text;
    },
    close(name) {
      if (name === 't') inText = false;
      if (name === 'p' && shape && paragraph.trim()) shape.paragraphs.push(paragraph.trim());
      if (name === 'sp' && shape) {
        if (!shape.skip) shapes.push(shape);
        shape = undefined;
      }
    },
  });
  const title = shapes.filter((s) => s.title).flatMap((s) => s.paragraphs).join(' ');
  const body = shapes.filter((s) => !s.title).flatMap((s) => s.paragraphs).join('\n');
  return { title, body };
}

/**
 * An Excel workbook, sheet by sheet in the workbook's order: the first row of a sheet holds its
 * column headers, kept with every row ("Column: value; …"), and parts of about one passage are
 * cited "sheet Budget, rows 10–18". Values are as Excel stores them (dates as serial numbers).
 */
export function xlsxParts(data: Buffer, maxCells = MAX_CELLS): TextPart[] {
  const files = unzip(data, 'xlsx', (name) => name.startsWith('xl/') && (name.endsWith('.xml') || name.endsWith('.rels')));
  const strings = sharedStrings(files['xl/sharedStrings.xml']);
  const sheets = ordered(files, 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/', 'sheet');
  const parts: TextPart[] = [];
  let cells = 0;
  for (const sheet of sheets) {
    const rows = sheetRows(files[sheet.path], strings);
    cells += rows.reduce((n, r) => n + r.cells.length, 0);
    if (cells > maxCells) throw new UnreadableDocumentError('sheet_too_large', `its sheets hold more than ${maxCells.toLocaleString('en-US')} cells, too many to index`);
    parts.push(...sheetParts(sheet.name, rows));
  }
  return parts;
}

function sharedStrings(xml: Uint8Array | undefined): string[] {
  const strings: string[] = [];
  if (!xml) return strings;
  let current = '';
  let inText = false;
  walkXml(strFromU8(xml), {
    open(name) {
      if (name === 'si') current = '';
      if (name === 't') inText = true;
    },
    text(text) {
      if (inText) current += text;
    },
    close(name) {
      if (name === 't') inText = false;
      if (name === 'si') strings.push(current);
    },
  });
  return strings;
}

interface SheetRow {
  readonly number: number;
  readonly cells: { column: number; value: string }[];
}

const columnOf = (reference: string) => [...(/^[A-Z]+/.exec(reference)?.[0] ?? 'A')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

function sheetRows(xml: Uint8Array | undefined, strings: readonly string[]): SheetRow[] {
  const rows: SheetRow[] = [];
  if (!xml) return rows;
  let row: SheetRow | undefined;
  let cell: { column: number; type: string; value: string } | undefined;
  let inValue = false;
  walkXml(strFromU8(xml), {
    open(name, a) {
      if (name === 'row') row = { number: Number(a.r ?? rows.length + 1), cells: [] };
      if (name === 'c') cell = { column: columnOf(a.r ?? ''), type: a.t ?? 'n', value: '' };
      if (name === 'v' || name === 't') inValue = true;
    },
    text(text) {
      if (inValue && cell) cell.value += text;
    },
    close(name) {
      if (name === 'v' || name === 't') inValue = false;
      if (name === 'c' && cell && row) {
        const value = cell.type === 's' ? (strings[Number(cell.value)] ?? '') : cell.type === 'b' ? (cell.value === '1' ? 'TRUE' : 'FALSE') : cell.value;
        if (value.trim()) row.cells.push({ column: cell.column, value: value.trim() });
        cell = undefined;
      }
      if (name === 'row' && row) {
        if (row.cells.length > 0) rows.push(row);
        row = undefined;
      }
    },
  });
  return rows;
}

function sheetParts(sheet: string, rows: readonly SheetRow[]): TextPart[] {
  const [header, ...records] = rows;
  if (!header) return [];
  const names = new Map(header.cells.map((c) => [c.column, c.value]));
  const lines = records.map((r) => ({ number: r.number, text: r.cells.map((c) => `${names.get(c.column) ?? `column ${c.column + 1}`}: ${c.value}`).join('; ') }));
  const parts: TextPart[] = [];
  for (let start = 0; start < lines.length; ) {
    let end = start;
    let size = 0;
    while (end < lines.length && end - start < ROWS_PER_PART && (end === start || size + (lines[end]?.text.length ?? 0) <= PART_CHARS)) size += (lines[end++]?.text.length ?? 0) + 1;
    const group = lines.slice(start, end);
    const first = group[0]?.number ?? 0;
    const last = group[group.length - 1]?.number ?? first;
    parts.push({ text: group.map((l) => l.text).join('\n'), section: `sheet ${sheet}, ${first === last ? `row ${first}` : `rows ${first}–${last}`}` });
    start = end;
  }
  return parts;
}
