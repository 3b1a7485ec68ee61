/**
 * The kinds of document Docent reads, told by content (a PDF is a PDF whatever its name) and
 * otherwise by extension, and how a place in each is cited: "page 4" in a PDF, "§ Failover" in
 * Markdown or HTML (the section's heading), "rows 10–18" in a CSV, "lines 40–79" in plain text.
 */
export type DocumentKind = 'pdf' | 'docx' | 'pptx' | 'xlsx' | 'markdown' | 'html' | 'csv' | 'text';

/** The kinds that are ZIP archives (Office Open XML): their size is checked before they are unpacked. */
export const ARCHIVE_KINDS: ReadonlySet<DocumentKind> = new Set(['docx', 'pptx', 'xlsx']);

const EXTENSIONS: Readonly<Record<string, Exclude<DocumentKind, 'pdf'>>> = {
  docx: 'docx',
  pptx: 'pptx',
  xlsx: 'xlsx',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  csv: 'csv',
  tsv: 'csv',
  txt: 'text',
  text: 'text',
};

/** What people are told Docent reads. */
export const READABLE_KINDS = 'PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), Markdown (.md), HTML (.html), CSV (.csv, .tsv) and plain text (.txt)';

const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase() ?? '';

/** The kind a file name promises (undefined: not a document Docent reads, as named). */
export function kindOfName(name: string): DocumentKind | undefined {
  const extension = extensionOf(name);
  return extension === 'pdf' ? 'pdf' : EXTENSIONS[extension];
}

/** Whether a posted file is one Docent indexes (by name or MIME type): PDFs and the text formats. */
export function isDocumentFile(name: string, mimeType?: string): boolean {
  return mimeType === 'application/pdf' || kindOfName(name) !== undefined;
}

/** How a place in a document is cited, from its page (or part) number and the heading stored with it. */
export function documentLocation(file: string, page: number, heading: string | undefined): string {
  switch (kindOfName(file)) {
    case 'docx':
    case 'markdown':
    case 'html':
      return heading ? `§ ${heading}` : `part ${page}`;
    case 'pptx':
      return `slide ${page}`;
    case 'xlsx':
    case 'csv':
    case 'text':
      return heading ?? `part ${page}`;
    default:
      return `page ${page}`;
  }
}

/** "12 pages", or the unit of the file's kind: "4 sections", "3 parts". */
export function documentUnits(file: string, count: number): string {
  const kind = kindOfName(file);
  const unit = kind === 'docx' || kind === 'markdown' || kind === 'html' ? 'section' : kind === 'pptx' ? 'slide' : kind === 'xlsx' || kind === 'csv' || kind === 'text' ? 'part' : 'page';
  return `${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`;
}
