import PDFDocument from 'pdfkit';

/** Runs `draw` on a new pdfkit document and resolves with the finished PDF's bytes. */
function renderPdf(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}

export interface PageSpec {
  readonly heading?: string;
  readonly paragraphs: readonly string[];
}

/** Renders a real PDF with pdfkit: one entry per page, optional heading, paragraphs of text. */
export function makePdf(pages: readonly PageSpec[], options: { userPassword?: string; font?: string } = {}): Promise<Buffer> {
  const encryption = options.userPassword ? { userPassword: options.userPassword, ownerPassword: `${options.userPassword}-owner`, pdfVersion: '1.7' as const } : {};
  return renderPdf({ autoFirstPage: false, compress: true, info: { Title: 'Docent test document' }, ...encryption }, (doc) => {
    if (options.font) doc.font(options.font);
    for (const page of pages) {
      doc.addPage({ size: 'A4', margin: 56 });
      if (page.heading) doc.fontSize(16).text(page.heading).moveDown(0.5);
      doc.fontSize(11);
      for (const paragraph of page.paragraphs) doc.text(paragraph, { align: 'left' }).moveDown(0.8);
    }
  });
}

/** A PDF whose pages only carry drawings, no text: what a scan looks like to a text extractor. */
export function makeImageOnlyPdf(pageCount = 2): Promise<Buffer> {
  return renderPdf({ autoFirstPage: false }, (doc) => {
    for (let i = 0; i < pageCount; i++) {
      doc.addPage();
      doc.rect(50, 50, 200, 100).fill('#336699');
      doc.circle(300, 300, 80).fill('#993333');
    }
  });
}

const WORDS = (
  'census survey household income coverage insurance region state county population estimate sample ' +
  'median percent change year report table figure analysis margin error private public employer market ' +
  'program enrollment policy data bureau community american health plan rate growth decline'
).split(' ');

/** Deterministic filler prose, `sentences` sentences long, seeded so tests are repeatable. */
export function prose(seed: number, sentences: number): string {
  let state = seed * 9301 + 49297;
  const next = () => {
    state = (state * 9301 + 49297) % 233280;
    return state / 233280;
  };
  const out: string[] = [];
  for (let s = 0; s < sentences; s++) {
    const length = 8 + Math.floor(next() * 10);
    const words = Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)]);
    const sentence = words.join(' ');
    out.push(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
  }
  return out.join(' ');
}

/** A long generated report: `pageCount` pages of varied prose with a section heading every few pages. */
export function makeLongPdf(pageCount: number, seed = 1): Promise<Buffer> {
  const pages: PageSpec[] = Array.from({ length: pageCount }, (_, i) => ({
    ...(i % 5 === 0 ? { heading: `Section ${i / 5 + 1} Findings` } : {}),
    paragraphs: [prose(seed + i * 3, 6), prose(seed + i * 3 + 1, 5), prose(seed + i * 3 + 2, 4)],
  }));
  return makePdf(pages);
}

/** A "scanned" PDF: page 1 has real text, page 2 is only a picture of text (no text layer). */
/** A scan-only PDF: every page is just a picture (one of `pictures`, in turn), no text layer. */
export function makePicturePdf(pictures: readonly Buffer[], pageCount: number): Promise<Buffer> {
  return renderPdf({ autoFirstPage: false }, (doc) => {
    for (let i = 0; i < pageCount; i++) {
      doc.addPage({ size: 'A4', margin: 0 });
      doc.image(pictures[i % pictures.length] as Buffer, 30, 40, { width: 535 });
    }
  });
}

export function makeScannedPdf(textOnPage1: string, picture: Buffer): Promise<Buffer> {
  return renderPdf({ autoFirstPage: false }, (doc) => {
    doc.addPage({ size: 'A4', margin: 56 });
    doc.fontSize(12).text(textOnPage1);
    doc.addPage({ size: 'A4', margin: 0 });
    doc.image(picture, 40, 80, { width: 515 });
  });
}

/**
 * A PDF written by hand from its objects (object 1 is the catalog), with a correct cross-reference
 * table: for features PDF libraries don't write (CMap-named fonts, Brotli streams, odd page sizes).
 */
export function rawPdf(objects: readonly string[], version = '1.7'): Buffer {
  let out = `%PDF-${version}\n`;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * A one-page PDF without text whose tiling pattern paints itself: pdf.js 5 recurses while
 * rendering it (for OCR) and grows memory until something stops it.
 */
export function makePatternCyclePdf(): Buffer {
  const page = '/Pattern cs /P1 scn 0 0 612 792 re f';
  const tile = '/Pattern cs /P1 scn 0 0 50 50 re f 1 0 0 rg 10 10 20 20 re f';
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Pattern << /P1 5 0 R >> >> >>',
    `<< /Length ${page.length} >>\nstream\n${page}\nendstream`,
    `<< /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 50 50] /XStep 50 /YStep 50 /Resources << /Pattern << /P1 5 0 R >> >> /Length ${tile.length} >>\nstream\n${tile}\nendstream`,
  ]);
}
