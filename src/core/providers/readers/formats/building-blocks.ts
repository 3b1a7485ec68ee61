import { UnreadableDocumentError } from '../../../ports/errors.js';
import { isZip, looksLikeText } from '../../../lib/sniff.js';
import type { textReaders } from '../text-documents.js';
import type { DocumentFormat, FormatBytes, FormatCitation, FormatRefusals } from './document-format.js';

// What several formats declare alike: the bytes of ZIP archives and of text, the refusals of
// Office and text formats, the two ways parts without pages are cited, and text formats whole.

/** A ZIP archive (Office Open XML and the like): judged by its directory before it is unpacked. */
export const zipBytes: FormatBytes = { holds: isZip, archive: true };

/** Text in any common encoding: few control characters and no NUL byte but UTF-16's (sniff.ts). */
export const textBytes: FormatBytes = { holds: looksLikeText, text: true };

/** Refusals of an Office format: `name` as in "not a Word document", `readable` as in "not a readable Word document". */
export function officeRefusals(id: string, name: string, readable: string): FormatRefusals {
  return {
    mismatch: (looks, extension) => new UnreadableDocumentError(`not_${id}`, `it is named .${extension} but is not ${name} (it looks like ${looks})`),
    damaged: (cause) => new UnreadableDocumentError(`${id}_corrupt`, `it is not a readable ${readable} (${cause})`),
    brokenArchive: (cause) => new UnreadableDocumentError(`${id}_corrupt`, `it is not a readable Office file (${cause})`),
  };
}

/** Refusals of a text format, `called` as in "named like a CSV file". */
export function textRefusals(called: string): FormatRefusals {
  return {
    mismatch: (looks) => {
      const known = looks === 'plain text' || looks === 'an unrecognised binary file' ? '' : ` (${looks})`;
      return new UnreadableDocumentError('binary_text', `it is named like a ${called} file, but it looks like binary data, not text${known}`);
    },
  };
}

/** Parts cited by the heading they start under, "§ Failover" ("part 3" before the first heading). */
export const bySection: FormatCitation = { unit: 'section', place: (page, heading) => (heading ? `§ ${heading}` : `part ${page}`) };

/** Parts cited by the place their reader names ("rows 10–18", "lines 1–60", "sheet Budget, rows 2–9"; else "part 3"). */
export const byPartName: FormatCitation = { unit: 'part', place: (page, heading) => heading ?? `part ${page}` };

/** What a text format declares of its own (the rest is what every text format declares alike: see textFormat). */
export interface TextFormatFacts extends Pick<DocumentFormat, 'name' | 'listed' | 'extensions' | 'mimeTypes' | 'citation'> {
  /** Its id, which is also the name of its reader in text-documents.ts. */
  readonly id: keyof typeof textReaders;
  /** Its reader marks headings (DocumentFormat's `reader.marksHeadings`). */
  readonly marksHeadings: boolean;
  /** As refusals call it: "named like a CSV file". */
  readonly called: string;
  /** Refusals besides the text ones (a CSV file's rows that cannot be read). */
  readonly refusals?: Partial<FormatRefusals>;
}

/** A text format: text bytes, read by its reader in text-documents.ts in the parts reader's worker, refused in textRefusals' words. */
export function textFormat({ id, marksHeadings, called, refusals, ...facts }: TextFormatFacts): DocumentFormat {
  return {
    id,
    ...facts,
    bytes: textBytes,
    reader: { kind: 'parts', read: async (data) => (await import('../text-documents.js')).textReaders[id](data), marksHeadings },
    refusals: { ...textRefusals(called), ...refusals },
  };
}
