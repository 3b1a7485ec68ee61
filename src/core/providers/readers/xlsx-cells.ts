import { strFromU8 } from 'fflate';
import { format, getFormatFromId, isDateFormat } from 'numfmt';
import { walkXml } from './office-xml.js';

/** Shared strings, each the text of its runs (phonetic guides, rPh, are not part of the text). */
export function sharedStrings(xml: Uint8Array | undefined): string[] {
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
export type Display = (value: number, style: number) => string;

export function cellDisplay(stylesXml: Uint8Array | undefined, workbookXml: Uint8Array | undefined): Display {
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

export interface SheetRow {
  readonly number: number;
  readonly cells: SheetCell[];
}

const columnOf = (reference: string) => [...(/^[A-Z]+/.exec(reference)?.[0] ?? 'A')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/** A worksheet's rows that hold something, each cell as Excel displays it and marked text or not. */
export function sheetRows(xml: Uint8Array | undefined, strings: readonly string[], display: Display): SheetRow[] {
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
