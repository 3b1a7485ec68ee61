import { posix } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { Parser } from 'htmlparser2';
import { format, getFormatFromId, isDateFormat } from 'numfmt';
import { UnreadableDocumentError } from '../errors.js';
import type { TextPart } from './text-documents.js';

/** Most cells of a workbook Docent reads: beyond, the sheet is refused as too large to be a document. */
const MAX_CELLS = 1_000_000;
const PART_CHARS = 1000;
const ROWS_PER_PART = 25;

type Files = Record<string, Uint8Array>;

function unzip(data: Buffer, what: string, wanted: (name: string) => boolean): Files {
  try {
    return unzipSync(data, { filter: (file) => wanted(file.name) });
  } catch (error) {
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
 * A PowerPoint deck, slide by slide in the deck's order (presentation.xml), each cited "slide N"
 * with its title as its heading (the title placeholder, or else the one paragraph set larger than
 * everything else on the slide). Every shape's text is read, in grouped shapes too; tables row by
 * row with their header row ("Header: value; Header: value"); speaker notes with their slide.
 * Slide numbers, dates, footers and the prompts of empty placeholders are not content.
 */
export function pptxParts(data: Buffer): TextPart[] {
  const files = unzip(data, 'pptx', (name) => (name.startsWith('ppt/') && name.endsWith('.xml')) || name.endsWith('.rels'));
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

interface SlideShape {
  readonly kind: 'shape';
  title: boolean;
  skip: boolean;
  readonly paragraphs: string[];
  /** The largest type size its runs set (hundredths of a point), 0 when they inherit it. */
  size: number;
}
interface SlideTable {
  readonly kind: 'table';
  readonly rows: { column: number; paragraphs: string[] }[][];
  size: number;
}

/** Placeholders that carry no content of their own: slide number, date, footer, header, the slide image on a notes page. */
const FURNITURE = new Set(['sldNum', 'dt', 'ftr', 'hdr', 'sldImg']);

function slideText(xml: Uint8Array | undefined, typeTitle = true): { title: string; body: string } {
  if (!xml) return { title: '', body: '' };
  const items: (SlideShape | SlideTable)[] = [];
  let shape: SlideShape | undefined;
  let table: SlideTable | undefined;
  let row: { column: number; paragraphs: string[] }[] | undefined;
  let cell: { column: number; paragraphs: string[] } | undefined;
  let column = 0;
  let paragraph: string | undefined;
  let inText = false;
  // The depth of the element being skipped: an alternative rendering (mc:Fallback, the same
  // shapes again) or a generated field (slide number, date).
  let depth = 0;
  let skippedAt: number | undefined;
  walkXml(strFromU8(xml), {
    open(name, a) {
      depth++;
      if (skippedAt === undefined && (name === 'Fallback' || (name === 'fld' && /^(?:slidenum|datetime)/i.test(a.type ?? '')))) skippedAt = depth;
      if (skippedAt !== undefined) return;
      if (name === 'sp') shape = { kind: 'shape', title: false, skip: false, paragraphs: [], size: 0 };
      if (name === 'ph' && shape) {
        if (a.type === 'title' || a.type === 'ctrTitle') shape.title = true;
        if (FURNITURE.has(a.type ?? '')) shape.skip = true;
      }
      if (name === 'tbl') table = { kind: 'table', rows: [], size: 0 };
      if (name === 'tr' && table) [row, column] = [[], 0];
      if (name === 'tc' && row) {
        // A cell merged into the one left of or above it holds no text of its own.
        cell = a.hMerge === '1' || a.vMerge === '1' ? undefined : { column, paragraphs: [] };
        column += Math.max(1, Number(a.gridSpan ?? 1) || 1);
      }
      if (name === 'p') paragraph = '';
      if (name === 'br' && paragraph !== undefined) paragraph += ' ';
      const sized = table ?? shape;
      if (name === 'rPr' && a.sz && sized) sized.size = Math.max(sized.size, Number(a.sz) || 0);
      if (name === 't') inText = true;
    },
    text(text) {
      if (inText && skippedAt === undefined && paragraph !== undefined) paragraph += text;
    },
    close(name) {
      depth--;
      if (skippedAt !== undefined) {
        if (depth < skippedAt) skippedAt = undefined;
        return;
      }
      if (name === 't') inText = false;
      if (name === 'p' && paragraph !== undefined) {
        const words = paragraph.replace(/\s+/g, ' ').trim();
        if (words) (cell ?? (table ? undefined : shape))?.paragraphs.push(words);
        paragraph = undefined;
      }
      if (name === 'tc') {
        if (cell && cell.paragraphs.length > 0) row?.push(cell);
        cell = undefined;
      }
      if (name === 'tr' && table && row) {
        if (row.length > 0) table.rows.push(row);
        row = undefined;
      }
      if (name === 'tbl' && table) {
        if (table.rows.length > 0) items.push(table);
        table = undefined;
      }
      if (name === 'sp' && shape) {
        if (!shape.skip && shape.paragraphs.length > 0) items.push(shape);
        shape = undefined;
      }
    },
  });
  let titles = items.filter((item) => item.kind === 'shape' && item.title);
  if (typeTitle && titles.length === 0) {
    // No title placeholder (decks made by other programs): a slide's title is the one paragraph
    // set larger than any other text on it.
    const largest = items.reduce<SlideShape | SlideTable | undefined>((best, item) => (best === undefined || item.size > best.size ? item : best), undefined);
    if (largest?.kind === 'shape' && largest.size > 0 && largest.paragraphs.length === 1 && /\p{L}/u.test(largest.paragraphs[0] ?? '') && items.every((item) => item === largest || item.size < largest.size)) titles = [largest];
  }
  const title = titles.flatMap((item) => (item.kind === 'shape' ? item.paragraphs : [])).join(' ');
  const body = items
    .filter((item) => !titles.includes(item))
    .map((item) => (item.kind === 'shape' ? item.paragraphs.join('\n') : tableLines(item.rows).join('\n')))
    .join('\n');
  return { title, body };
}

/**
 * A table's text: with two rows or more, the first row is its header and every further row is
 * one line of "Header: value; Header: value" (a cell without a header is its value alone); a
 * single row (a table used for layout) is its cells' text.
 */
/**
 * A cell's paragraphs on one line: a paragraph that starts in lower case continues the one before
 * (a sentence broken by hand); any other starts a new item, kept apart by " • ".
 */
function cellText(paragraphs: readonly string[]): string {
  return paragraphs.reduce((text, paragraph) => (text === '' ? paragraph : /^\p{Ll}/u.test(paragraph) ? `${text} ${paragraph}` : `${text} • ${paragraph}`), '');
}

function tableLines(rows: readonly { column: number; paragraphs: readonly string[] }[][]): string[] {
  const [header, ...records] = rows;
  if (!header) return [];
  if (records.length === 0) return header.flatMap((cell) => cell.paragraphs);
  const names = new Map(header.map((cell) => [cell.column, cell.paragraphs.join(' ')]));
  return records.map((record) =>
    record
      .map((cell) => {
        const name = names.get(cell.column);
        const value = cellText(cell.paragraphs);
        return name ? `${name}: ${value}` : value;
      })
      .join('; '),
  );
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
  const files = unzip(data, 'xlsx', (name) => name.startsWith('xl/') && (name.endsWith('.xml') || name.endsWith('.rels')));
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

/** Shared strings, each the text of its runs (phonetic guides, rPh, are not part of the text). */
function sharedStrings(xml: Uint8Array | undefined): string[] {
  const strings: string[] = [];
  if (!xml) return strings;
  let current = '';
  let inText = false;
  let phonetic = 0;
  walkXml(strFromU8(xml), {
    open(name) {
      if (name === 'si') current = '';
      if (name === 'rPh') phonetic++;
      if (name === 't' && phonetic === 0) inText = true;
    },
    text(text) {
      if (inText) current += text;
    },
    close(name) {
      if (name === 't') inText = false;
      if (name === 'rPh') phonetic--;
      if (name === 'si') strings.push(current);
    },
  });
  return strings;
}

/** How a number cell is shown, from its style index (the `s` attribute): the format code of its cellXfs entry. */
type Display = (value: number, style: number) => string;

function cellDisplay(stylesXml: Uint8Array | undefined, workbookXml: Uint8Array | undefined): Display {
  const custom = new Map<number, string>();
  const formats: number[] = [];
  let section: string | undefined;
  if (stylesXml) {
    walkXml(strFromU8(stylesXml), {
      open(name, a) {
        if (name === 'numFmts' || name === 'cellXfs' || name === 'dxfs' || name === 'cellStyleXfs') section = name;
        if (name === 'numFmt' && section === 'numFmts' && a.numFmtId && a.formatCode !== undefined) custom.set(Number(a.numFmtId), a.formatCode);
        if (name === 'xf' && section === 'cellXfs') formats.push(Number(a.numFmtId ?? 0));
      },
      close(name) {
        if (name === section) section = undefined;
      },
    });
  }
  let date1904 = false;
  if (workbookXml) {
    walkXml(strFromU8(workbookXml), {
      open(name, a) {
        if (name === 'workbookPr' && (a.date1904 === '1' || a.date1904 === 'true')) date1904 = true;
      },
    });
  }
  const codes = new Map<number, string>();
  return (value, style) => {
    const id = formats[style] ?? 0;
    let code = codes.get(id);
    if (code === undefined) {
      code = custom.get(id) ?? (id === 0 ? 'General' : getFormatFromId(id) ?? 'General');
      codes.set(id, code);
    }
    return formatCell(value, code, date1904);
  };
}

/** Numbers as Excel's General format shows them, without float noise (0.1 + 0.2 is 0.3). */
const general = (value: number) => String(Number(value.toPrecision(15)));

/** Numeric dates whose day and month order a reader may take either way: all of day, month and year shown as numbers. */
function isNumericDate(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').toLowerCase();
  return /d/.test(bare) && /m/.test(bare) && /y/.test(bare) && !/mmm|ddd/.test(bare);
}

function formatCell(value: number, code: string, date1904: boolean): string {
  if (/^general$/i.test(code.trim())) return general(value);
  try {
    const date = isDateFormat(code);
    // Serial numbers of the 1904 date system count from 1904-01-01: 1,462 days later than 1900's.
    const serial = date && date1904 ? value + 1462 : value;
    const shown = format(code, serial, { dateErrorNumber: false, overflow: '' }).trim();
    if (shown === '' && value !== 0) return general(value);
    if (!date || !isNumericDate(code)) return shown;
    const iso = format('yyyy-mm-dd', serial);
    return shown.includes(iso) ? shown : `${shown} (${iso})`;
  } catch {
    // A format code the formatter cannot read: the stored value.
    return general(value);
  }
}

interface SheetCell {
  readonly column: number;
  readonly value: string;
  /** A text cell (a string), not a number, date, truth value or error. */
  readonly text: boolean;
}

interface SheetRow {
  readonly number: number;
  readonly cells: SheetCell[];
}

const columnOf = (reference: string) => [...(/^[A-Z]+/.exec(reference)?.[0] ?? 'A')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

function sheetRows(xml: Uint8Array | undefined, strings: readonly string[], display: Display): SheetRow[] {
  const rows: SheetRow[] = [];
  if (!xml) return rows;
  let row: SheetRow | undefined;
  let cell: { column: number; type: string; style: number; value: string } | undefined;
  let inValue = false;
  let phonetic = 0;
  let nextColumn = 0;
  walkXml(strFromU8(xml), {
    open(name, a) {
      if (name === 'row') [row, nextColumn] = [{ number: Number(a.r ?? rows.length + 1), cells: [] }, 0];
      if (name === 'c') {
        cell = { column: a.r ? columnOf(a.r) : nextColumn, type: a.t ?? 'n', style: Number(a.s ?? 0), value: '' };
        nextColumn = cell.column + 1;
      }
      if (name === 'rPh') phonetic++;
      if (name === 'v' || (name === 't' && phonetic === 0)) inValue = true;
    },
    text(text) {
      if (inValue && cell) cell.value += text;
    },
    close(name) {
      if (name === 'v' || name === 't') inValue = false;
      if (name === 'rPh') phonetic--;
      if (name === 'c' && cell && row) {
        const shown = cellValue(cell, strings, display);
        if (shown.value.trim()) row.cells.push({ column: cell.column, value: shown.value.trim(), text: shown.text });
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

function cellValue(cell: { type: string; style: number; value: string }, strings: readonly string[], display: Display): { value: string; text: boolean } {
  switch (cell.type) {
    case 's':
      return { value: strings[Number(cell.value)] ?? '', text: true };
    case 'inlineStr':
    case 'str':
      return { value: cell.value, text: true };
    case 'b':
      return { value: cell.value === '1' ? 'TRUE' : 'FALSE', text: false };
    case 'e':
      return { value: cell.value, text: false };
    case 'd': {
      // An ISO 8601 date (strict Open XML): shown in the cell's format, from its serial number.
      const time = Date.parse(cell.value.endsWith('Z') || /[+-]\d\d:\d\d$/.test(cell.value) ? cell.value : `${cell.value}Z`);
      return { value: Number.isNaN(time) ? cell.value : display(time / 86_400_000 + 25_569, cell.style), text: false };
    }
    default: {
      const number = Number(cell.value);
      return { value: cell.value.trim() === '' || Number.isNaN(number) ? cell.value : display(number, cell.style), text: false };
    }
  }
}

/** A row that can head a table: two or more cells, all text. */
const mayBeHeader = (row: SheetRow) => row.cells.length >= 2 && row.cells.every((c) => c.text);

/**
 * The rows a header heads: each further row has two or more cells, all under the header's
 * columns (or in a label column left of them); a row with one cell in the first column is a
 * group label inside the table when more rows of the table follow it. Returns the index one past
 * the table's last row.
 */
function tableEnd(rows: readonly SheetRow[], header: number): number {
  const head = rows[header];
  if (!head) return header + 1;
  const columns = new Set(head.cells.map((c) => c.column));
  const first = Math.min(...columns);
  const fits = (row: SheetRow) => row.cells.length >= 2 && row.cells.every((c) => columns.has(c.column) || c.column < first);
  const label = (row: SheetRow) => row.cells.length === 1 && (row.cells[0]?.column ?? -1) <= first;
  let end = header + 1;
  for (let i = header + 1; i < rows.length; i++) {
    const row = rows[i];
    if (!row) break;
    if (fits(row)) end = i + 1;
    else if (!label(row)) break;
  }
  return end;
}

/** The sheet's rows as lines: tables row by row with their headers, every other row as text. */
function sheetLines(rows: readonly SheetRow[]): { number: number; text: string }[] {
  const lines: { number: number; text: string }[] = [];
  const plain = (row: SheetRow) => ({ number: row.number, text: row.cells.map((c) => c.value).join(row.cells.every((c) => c.text) ? ' ' : '; ') });
  for (let start = 0; start < rows.length; ) {
    // The header heading the most rows; rows covered by an earlier candidate are its rows, not headers.
    let best: { header: number; end: number } | undefined;
    for (let i = start; i < rows.length; i++) {
      const row = rows[i];
      if (!row || !mayBeHeader(row)) continue;
      const end = tableEnd(rows, i);
      if (end > i + 1 && (best === undefined || end - i > best.end - best.header)) best = { header: i, end };
      if (end > i + 1) i = end - 1;
    }
    if (!best) {
      lines.push(...rows.slice(start).map(plain));
      break;
    }
    lines.push(...rows.slice(start, best.header).map(plain));
    const head = rows[best.header];
    const names = new Map(head?.cells.map((c) => [c.column, c.value]));
    for (const row of rows.slice(best.header + 1, best.end)) {
      lines.push({ number: row.number, text: row.cells.map((c) => (names.has(c.column) ? `${names.get(c.column)}: ${c.value}` : c.value)).join('; ') });
    }
    start = best.end;
  }
  return lines;
}

function sheetParts(sheet: string, rows: readonly SheetRow[]): TextPart[] {
  const lines = sheetLines(rows);
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
