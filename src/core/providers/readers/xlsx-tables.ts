import type { TextPart } from './formats/document-format.js';
import type { SheetRow } from './xlsx-cells.js';

const PART_CHARS = 1000;
const ROWS_PER_PART = 25;

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

/** A sheet's lines in parts of about one passage, each cited by the sheet and its rows ("sheet Budget, rows 10–18"). */
export function sheetParts(sheet: string, rows: readonly SheetRow[]): TextPart[] {
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
