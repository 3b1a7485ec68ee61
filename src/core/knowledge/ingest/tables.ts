/**
 * Tables in extracted page text. A statistical table comes out of a PDF as one line per row: a label
 * and then cells, separated by tabs where pdf.js saw a gap ("Florida . . . . \t11.2 \t0.2 \t12.1").
 * Chunked like prose, its rows lose the column headers that say what the numbers are, and a long
 * table makes one passage of hundreds of numbers in which any one row is lost. Here a table is
 * found as a run of rows, with the short lines just above it as its column headers, so that the
 * chunker can cut it into small groups of rows that each repeat those headers.
 */

/** A cell that holds a value: a number (with sign, currency, percent, significance mark) or a table symbol. */
const VALUE = /^(?:[*†‡]*[+\-–−]?[$€£¥]?\(?\d[\d,]*(?:\.\d+)?\)?%?[*†‡]*|[*]?[–—-]|Z|N|NA|N\/A|X|\(X\)|\(NA\)|\(B\)|\(D\)|\(S\))$/u;

const MIN_ROWS = 3;
/** Column headers are short lines ("Margin of", "error1", "2022 \t2021"); a sentence ends them. */
const MAX_HEADER_LINES = 14;
const MAX_HEADER_LINE_CHARS = 60;

/** True when a line reads as a table row: at least three values after an optional label. */
export function isTableRow(line: string): boolean {
  const cells = line
    .split(/\t| {2,}/)
    .map((cell) => cell.trim())
    .filter((cell) => cell.length > 0);
  const parts = cells.length >= 3 ? cells : line.trim().split(/\s+/);
  let values = 0;
  for (let i = parts.length - 1; i >= 0 && VALUE.test(parts[i] ?? ''); i--) values++;
  if (values < 3) return false;
  const label = parts.slice(0, parts.length - values).join(' ');
  return label.length <= 80;
}

export interface TableSpan {
  /** Index of the first header line (equal to `firstRow` when the table has none). */
  readonly headerStart: number;
  readonly firstRow: number;
  /** Index one past the last row. */
  readonly end: number;
}

/**
 * Finds the tables among a page's lines. `isHeading(i)` marks lines that belong to a heading or
 * caption: those are not column headers (the caption becomes the passage's heading anyway).
 */
export function findTables(lines: readonly string[], isHeading: (index: number) => boolean = () => false): TableSpan[] {
  const spans: TableSpan[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!isTableRow(lines[i] ?? '')) {
      i++;
      continue;
    }
    let end = i;
    let rows = 0;
    // Blank lines inside a table do not end it; a line of prose does.
    while (end < lines.length && ((lines[end] ?? '').trim() === '' || isTableRow(lines[end] ?? ''))) {
      if ((lines[end] ?? '').trim() !== '') rows++;
      end++;
    }
    while (end > i && (lines[end - 1] ?? '').trim() === '') end--;
    if (rows >= MIN_ROWS) {
      const floor = spans.at(-1)?.end ?? 0;
      let headerStart = i;
      while (
        headerStart > floor &&
        i - headerStart < MAX_HEADER_LINES &&
        !isHeading(headerStart - 1) &&
        isHeaderLine(lines[headerStart - 1] ?? '')
      ) {
        headerStart--;
      }
      spans.push({ headerStart, firstRow: i, end });
    }
    i = end;
  }
  return spans;
}

function isHeaderLine(line: string): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_HEADER_LINE_CHARS) return false;
  return !/[.!?]$/.test(text);
}
