import { strFromU8 } from 'fflate';
import { walkXml } from './office-xml.js';

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

/**
 * A slide's (or notes page's) title and body text. `typeTitle`: without a title placeholder, the
 * one paragraph set larger than any other text is the title (never on a notes page).
 */
export function slideText(xml: Uint8Array | undefined, typeTitle = true): { title: string; body: string } {
  if (!xml) return { title: '', body: '' };
  const items = slideItems(xml);
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

/** The text shapes (in groups too) and tables of a slide, in z-order, without page furniture. */
function slideItems(xml: Uint8Array): (SlideShape | SlideTable)[] {
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
  return items;
}

/**
 * A cell's paragraphs on one line: a paragraph that starts in lower case continues the one before
 * (a sentence broken by hand); any other starts a new item, kept apart by " • ".
 */
function cellText(paragraphs: readonly string[]): string {
  return paragraphs.reduce((text, paragraph) => (text === '' ? paragraph : /^\p{Ll}/u.test(paragraph) ? `${text} ${paragraph}` : `${text} • ${paragraph}`), '');
}

/**
 * A table's text: with two rows or more, the first row is its header and every further row is
 * one line of "Header: value; Header: value" (a cell without a header is its value alone); a
 * single row (a table used for layout) is its cells' text.
 */
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
