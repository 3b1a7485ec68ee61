import { strToU8, zipSync } from 'fflate';

// Small builders of real Office Open XML files (the parts PowerPoint and Excel write), for tests
// that need what the simple helpers in docx.ts leave out: tables, groups, placeholders, fields,
// alternate content, number formats, the 1904 date system.

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const TYPES = `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>`;

const rels = (items: readonly [id: string, type: string, target: string][]) =>
  strToU8(
    `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items
      .map(([id, type, target]) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`)
      .join('')}</Relationships>`,
  );

/** A paragraph: its text, or runs of text with a type size (points) and generated fields. */
export type SlideParagraph = string | { readonly runs: readonly { readonly text: string; readonly size?: number; readonly field?: 'slidenum' | 'datetime1' }[] };

/** What a slide holds, in z-order: text shapes (placeholders or not), tables, groups, alternate renderings. */
export type SlideElement =
  | { readonly shape: readonly SlideParagraph[]; readonly placeholder?: string; readonly size?: number }
  | { readonly table: readonly (readonly (string | readonly string[] | { readonly merged: 'h' | 'v' } | { readonly text: string; readonly span: number })[])[] }
  | { readonly group: readonly SlideElement[] }
  | { readonly alternate: readonly SlideElement[] };

const A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';

let shapeId = 2;

function run(text: string, size?: number, field?: string): string {
  const props = size ? `<a:rPr lang="en-US" sz="${size * 100}"/>` : '<a:rPr lang="en-US"/>';
  return field ? `<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="${field}">${props}<a:t>${escape(text)}</a:t></a:fld>` : `<a:r>${props}<a:t>${escape(text)}</a:t></a:r>`;
}

function paragraphXml(paragraph: SlideParagraph, size?: number): string {
  const runs = typeof paragraph === 'string' ? run(paragraph, size) : paragraph.runs.map((r) => run(r.text, r.size ?? size, r.field)).join('');
  return `<a:p>${runs}</a:p>`;
}

function elementXml(element: SlideElement): string {
  const id = shapeId++;
  if ('shape' in element) {
    const ph = element.placeholder === undefined ? '' : element.placeholder === '' ? '<p:ph idx="1"/>' : `<p:ph type="${element.placeholder}"/>`;
    return `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>${element.shape.map((p) => paragraphXml(p, element.size)).join('')}</p:txBody></p:sp>`;
  }
  if ('group' in element) {
    return `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="${id}" name="Group ${id}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${element.group.map(elementXml).join('')}</p:grpSp>`;
  }
  if ('alternate' in element) {
    const inner = element.alternate.map(elementXml).join('');
    return `<mc:AlternateContent><mc:Choice Requires="p14">${inner}</mc:Choice><mc:Fallback>${inner}</mc:Fallback></mc:AlternateContent>`;
  }
  const columns = Math.max(...element.table.map((row) => row.length));
  const rows = element.table
    .map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === 'object' && 'merged' in cell) return `<a:tc ${cell.merged}Merge="1"><a:txBody><a:bodyPr/><a:p/></a:txBody><a:tcPr/></a:tc>`;
        const [paragraphs, span] = typeof cell === 'string' ? [[cell], 1] : 'span' in cell ? [[cell.text], cell.span] : [cell, 1];
        return `<a:tc${span > 1 ? ` gridSpan="${span}"` : ''}><a:txBody><a:bodyPr/><a:lstStyle/>${paragraphs.map((p) => paragraphXml(p)).join('')}</a:txBody><a:tcPr/></a:tc>`;
      });
      return `<a:tr h="370840">${cells.join('')}</a:tr>`;
    })
    .join('');
  return `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${id}" name="Table ${id}"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1"/><a:tblGrid>${'<a:gridCol w="2000000"/>'.repeat(columns)}</a:tblGrid>${rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;
}

/** A PowerPoint deck: each slide its elements and optional speaker notes (with the slide-number placeholder PowerPoint adds). */
export function buildPptx(slides: readonly { readonly elements: readonly SlideElement[]; readonly notes?: readonly SlideParagraph[] }[]): Buffer {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(TYPES),
    '_rels/.rels': rels([['rId1', 'officeDocument', 'ppt/presentation.xml']]),
    'ppt/presentation.xml': strToU8(`${XML}<p:presentation ${A}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('')}</p:sldIdLst></p:presentation>`),
    'ppt/_rels/presentation.xml.rels': rels(slides.map((_, i) => [`rId${i + 1}`, 'slide', `slides/slide${i + 1}.xml`])),
  };
  slides.forEach((slide, i) => {
    const tree = (elements: readonly SlideElement[]) => `<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${elements.map(elementXml).join('')}</p:spTree></p:cSld>`;
    files[`ppt/slides/slide${i + 1}.xml`] = strToU8(`${XML}<p:sld ${A}>${tree(slide.elements)}</p:sld>`);
    if (slide.notes) {
      files[`ppt/slides/_rels/slide${i + 1}.xml.rels`] = rels([['rId2', 'notesSlide', `../notesSlides/notesSlide${i + 1}.xml`]]);
      const notes: SlideElement[] = [{ shape: [], placeholder: 'sldImg' }, { shape: slide.notes, placeholder: 'body' }, { shape: [String(i + 1)], placeholder: 'sldNum' }];
      files[`ppt/notesSlides/notesSlide${i + 1}.xml`] = strToU8(`${XML}<p:notes ${A}>${tree(notes)}</p:notes>`);
    }
  });
  return Buffer.from(zipSync(files));
}

/** A cell: text (a shared string), a number in a number format (a built-in id or a format code), a truth value, or an inline string. */
export type SheetCell = string | number | boolean | null | { readonly value: number; readonly format: number | string } | { readonly inline: string };

/**
 * An Excel workbook: sheets of rows (cell A1 first; null leaves a cell empty), number formats in
 * xl/styles.xml as Excel writes them (custom codes from id 164), and optionally the 1904 date system.
 */
export function buildXlsx(sheets: readonly { readonly name: string; readonly rows: readonly (readonly SheetCell[])[] }[], options: { date1904?: boolean } = {}): Buffer {
  const shared: string[] = [];
  const sharedIndex = (s: string) => (shared.includes(s) ? shared.indexOf(s) : shared.push(s) - 1);
  const customs: string[] = [];
  const styles: number[] = [0];
  const styleOf = (format: number | string) => {
    const id = typeof format === 'number' ? format : 164 + (customs.includes(format) ? customs.indexOf(format) : customs.push(format) - 1);
    return styles.includes(id) ? styles.indexOf(id) : styles.push(id) - 1;
  };
  const column = (i: number) => (i >= 26 ? String.fromCharCode(64 + Math.floor(i / 26)) : '') + String.fromCharCode(65 + (i % 26));
  const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(TYPES),
    '_rels/.rels': rels([['rId1', 'officeDocument', 'xl/workbook.xml']]),
    'xl/workbook.xml': strToU8(
      `${XML}<workbook ${S}><workbookPr${options.date1904 ? ' date1904="1"' : ''}/><sheets>${sheets.map((s, i) => `<sheet name="${escape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': rels([...sheets.map((_, i): [string, string, string] => [`rId${i + 1}`, 'worksheet', `worksheets/sheet${i + 1}.xml`]), ['rIdS', 'styles', 'styles.xml']]),
  };
  sheets.forEach((sheet, i) => {
    const rows = sheet.rows
      .map((row, r) => {
        const cells = row.map((v, c) => {
          const ref = `${column(c)}${r + 1}`;
          if (v === null) return '';
          if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
          if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
          if (typeof v === 'string') return `<c r="${ref}" t="s"><v>${sharedIndex(v)}</v></c>`;
          if ('inline' in v) return `<c r="${ref}" t="inlineStr"><is><t>${escape(v.inline)}</t></is></c>`;
          return `<c r="${ref}" s="${styleOf(v.format)}"><v>${v.value}</v></c>`;
        });
        return cells.some((c) => c !== '') ? `<row r="${r + 1}">${cells.join('')}</row>` : '';
      })
      .join('');
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(`${XML}<worksheet ${S}><sheetData>${rows}</sheetData></worksheet>`);
  });
  files['xl/sharedStrings.xml'] = strToU8(`${XML}<sst ${S} count="${shared.length}">${shared.map((s) => `<si><t xml:space="preserve">${escape(s)}</t></si>`).join('')}</sst>`);
  // A differential format with its own numFmt, as Excel writes for conditional formatting: not a cell's format.
  files['xl/styles.xml'] = strToU8(
    `${XML}<styleSheet ${S}><numFmts count="${customs.length}">${customs.map((code, k) => `<numFmt numFmtId="${164 + k}" formatCode="${escape(code)}"/>`).join('')}</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="${styles.length}">${styles.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`).join('')}</cellXfs><dxfs count="1"><dxf><numFmt numFmtId="${164 + customs.length}" formatCode="0.000%"/></dxf></dxfs></styleSheet>`,
  );
  return Buffer.from(zipSync(files));
}
