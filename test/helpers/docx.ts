import { strToU8, zipSync } from 'fflate';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A real (minimal) Word document: the parts Word itself writes for headings (the built-in
 * "heading 1" style) and paragraphs, zipped. Opens in Word and LibreOffice.
 */
export function makeDocx(sections: readonly { heading?: string; paragraphs: readonly string[] }[]): Buffer {
  const body = sections
    .flatMap((s) => [
      ...(s.heading ? [`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>${escape(s.heading)}</w:t></w:r></w:p>`] : []),
      ...s.paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${escape(p)}</w:t></w:r></w:p>`),
    ])
    .join('');
  const w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
      'word/_rels/document.xml.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      ),
      'word/styles.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ${w}><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>`),
      'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${w}><w:body>${body}</w:body></w:document>`),
    }),
  );
}

/** A ZIP whose directory says its one entry unpacks to `declared` bytes (a zip bomb's shape), without the bytes. */
export function zipDeclaring(name: string, declared: number): Buffer {
  const zip = Buffer.from(zipSync({ [name]: strToU8('small') }));
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(declared, central + 24);
  return zip;
}

const rels = (items: readonly [id: string, type: string, target: string][]) =>
  strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${items
      .map(([id, type, target]) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`)
      .join('')}</Relationships>`,
  );
const A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const shape = (paragraphs: readonly string[], placeholder?: string) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="2" name="s"/><p:cNvSpPr/><p:nvPr>${placeholder ? `<p:ph type="${placeholder}"/>` : ''}</p:nvPr></p:nvSpPr><p:txBody>${paragraphs.map((t) => `<a:p><a:r><a:t>${escape(t)}</a:t></a:r></a:p>`).join('')}</p:txBody></p:sp>`;

/** A minimal real PowerPoint deck: slides with a title and body, in deck order, optional speaker notes. */
export function makePptx(slides: readonly { title: string; body: readonly string[]; notes?: string }[]): Buffer {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>'),
    '_rels/.rels': rels([['rId1', 'officeDocument', 'ppt/presentation.xml']]),
    // Deck order differs from file numbering: slide files are listed in reverse.
    'ppt/presentation.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><p:presentation ${A}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('')}</p:sldIdLst></p:presentation>`),
    'ppt/_rels/presentation.xml.rels': rels(slides.map((_, i) => [`rId${i + 1}`, 'slide', `slides/slide${slides.length - i}.xml`])),
  };
  slides.forEach((slide, i) => {
    const file = slides.length - i;
    files[`ppt/slides/slide${file}.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><p:sld ${A}><p:cSld><p:spTree>${shape([slide.title], 'title')}${shape(slide.body)}</p:spTree></p:cSld></p:sld>`);
    if (slide.notes) {
      files[`ppt/slides/_rels/slide${file}.xml.rels`] = rels([['rId1', 'notesSlide', `../notesSlides/notesSlide${file}.xml`]]);
      files[`ppt/notesSlides/notesSlide${file}.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><p:notes ${A}><p:cSld><p:spTree>${shape(['1'], 'sldNum')}${shape([slide.notes], 'body')}</p:spTree></p:cSld></p:notes>`);
    }
  });
  return Buffer.from(zipSync(files));
}

/** A minimal real Excel workbook: sheets of rows (first row: headers), strings shared as Excel writes them. */
export function makeXlsx(sheets: readonly { name: string; rows: readonly (readonly (string | number)[])[] }[]): Buffer {
  const shared: string[] = [];
  const index = (s: string) => (shared.includes(s) ? shared.indexOf(s) : shared.push(s) - 1);
  const column = (i: number) => String.fromCharCode(65 + i);
  const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>'),
    '_rels/.rels': rels([['rId1', 'officeDocument', 'xl/workbook.xml']]),
    'xl/workbook.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><workbook ${S}><sheets>${sheets.map((s, i) => `<sheet name="${escape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': rels(sheets.map((_, i) => [`rId${i + 1}`, 'worksheet', `worksheets/sheet${i + 1}.xml`])),
  };
  sheets.forEach((sheet, i) => {
    const rows = sheet.rows
      .map((row, r) => `<row r="${r + 1}">${row.map((v, c) => (typeof v === 'number' ? `<c r="${column(c)}${r + 1}"><v>${v}</v></c>` : `<c r="${column(c)}${r + 1}" t="s"><v>${index(v)}</v></c>`)).join('')}</row>`)
      .join('');
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${S}><sheetData>${rows}</sheetData></worksheet>`);
  });
  files['xl/sharedStrings.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst ${S} count="${shared.length}">${shared.map((s) => `<si><t>${escape(s)}</t></si>`).join('')}</sst>`);
  return Buffer.from(zipSync(files));
}
