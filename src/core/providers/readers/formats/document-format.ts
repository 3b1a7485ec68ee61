import type { UnreadableDocumentError } from '../../../ports/errors.js';

/** A part of a document read by the parts reader: what a page is to a PDF, with the heading it is cited by. */
export interface TextPart {
  readonly text: string;
  readonly section: string | undefined;
}

/** How a format is recognised from its bytes. */
export interface FormatBytes {
  /** Whether bytes under this format's name hold it. */
  readonly holds: (data: Buffer) => boolean;
  /**
   * Only for a format told by its bytes whatever a file's name (PDF): whether the bytes begin as
   * it. Such bytes are read as it under any name; bytes that merely hold it are read as it when
   * the name's format does not match them, or when the name says no format Docent reads.
   */
  readonly begins?: (data: Buffer) => boolean;
  /** A ZIP archive: its directory is checked against the unpack limits (MAX_UNPACKED_MB) before it is read. */
  readonly archive?: true;
  /** Text: binary bytes under its name are refused as such, and so is text that reads as noise. */
  readonly text?: true;
}

/** Which reader opens a format (both run in worker threads under the same time and memory budgets). */
export type FormatReader =
  /** The PDF reader (pdf-parser.ts): pages, and pages rendered as images for OCR. */
  | { readonly kind: 'pages' }
  /**
   * The parts reader (text-parser.ts → text-reader.ts), which calls `read` in its worker: import
   * the implementation inside it, so the formats' facts stay light for the main thread. A reader
   * that finds the file damaged throws DamagedFileError; the format's `refusals.damaged` words it.
   */
  | {
      readonly kind: 'parts';
      readonly read: (data: Buffer) => Promise<readonly TextPart[]>;
      /** Its headings are marked (styles, heading elements, slide titles, sheets): no line of its text is guessed to be one. */
      readonly marksHeadings: boolean;
    };

/** How a place in a format is cited, from its page (or part) number and the heading stored with it. */
export interface FormatCitation {
  /** What its pages or parts are counted in: "12 pages", "4 slides", "3 sections", "2 parts". */
  readonly unit: 'page' | 'slide' | 'section' | 'part';
  /** A place in it: "page 3", "slide 4", "§ Failover", "sheet Budget, rows 2–9", "lines 1–60". */
  readonly place: (page: number, heading: string | undefined) => string;
}

/** What users are told when a file of this format cannot be indexed (the ingest puts the file's name in front). */
export interface FormatRefusals {
  /** The file is named as this format, but its bytes are not it: `looks` says what they look like, `extension` is the name's. */
  readonly mismatch: (looks: string, extension: string) => UnreadableDocumentError;
  /** Its reader found it damaged (a DamagedFileError with `cause`). Absent: the parts reader's general wording. */
  readonly damaged?: (cause: string) => UnreadableDocumentError;
  /** Archives: their directory cannot be read, found before anything is unpacked. */
  readonly brokenArchive?: (cause: string) => UnreadableDocumentError;
}

/** One document format Docent reads: every fact about it, declared once (see index.ts). */
export interface DocumentFormat {
  /** Stable id, handed to the readers and used in refusal codes and the evaluation's report: 'pdf', 'docx', … */
  readonly id: string;
  /** The format as a refusal names it: "a PDF", "a Word document", "a PowerPoint file". */
  readonly name: string;
  /** How the list of formats Docent reads names it: "Word (.docx)". */
  readonly listed: string;
  /** The file name endings that promise it, lowercase and without the dot. */
  readonly extensions: readonly string[];
  readonly mimeTypes: readonly string[];
  readonly bytes: FormatBytes;
  readonly reader: FormatReader;
  readonly citation: FormatCitation;
  readonly refusals: FormatRefusals;
}
