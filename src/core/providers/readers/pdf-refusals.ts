import { UnreadableDocumentError } from '../../ports/errors.js';
import { formatSeconds, MIB, type ReaderRefusals } from './worker-session.js';

/** How the PDF reader's failures read to the user (its time and memory budgets are every reader's). */
export const pdfRefusals: ReaderRefusals = {
  reader: 'the PDF reader',
  timeout: (ms) => new UnreadableDocumentError('pdf_timeout', timeoutReason(ms)),
  memory: (limit, detail) => new UnreadableDocumentError('pdf_too_complex', memoryReason(limit), { detail }),
  failure: ({ name, message }) => translate(name, message),
};

/** Reading took longer than PDF_TIMEOUT_SECONDS, in words (every format's readers share the budget). */
export function timeoutReason(ms: number): string {
  return `reading it took longer than the ${formatSeconds(ms)} limit (PDF_TIMEOUT_SECONDS); the file may be damaged or unusually complex`;
}

/** Reading needed more memory than PDF_MEMORY_MB allows, in words. */
export function memoryReason(limitBytes: number): string {
  return `reading it needed more than ${Math.round(limitBytes / MIB).toLocaleString('en-US')} MB of memory (PDF_MEMORY_MB); it may be damaged or unusually complex`;
}

/**
 * What pdf.js's error means, in words a user can act on (" (its page tree is broken)"), or
 * nothing: the reader's own text ("Illegal character: 41") stays in the logs.
 */
export function plainCause(message: string): string {
  const causes: [RegExp, string][] = [
    [/Invalid Root|Invalid XRef|XRef|startxref|trailer|Invalid PDF structure/i, 'its cross-reference table or trailer is broken'],
    [/circular reference|Pages tree|page tree|Page dictionary|kids/i, 'its page tree is broken'],
    [/flate|stream|Decode|zlib/i, 'a compressed stream in it is broken'],
    [/Illegal character|Unexpected|Unknown command|FormatError|Unterminated|End of file/i, 'its content is malformed'],
  ];
  const found = causes.find(([pattern]) => pattern.test(message));
  return found ? ` (${found[1]})` : '';
}

function translate(name: string, message: string): UnreadableDocumentError {
  switch (name) {
    case 'PasswordException':
      return new UnreadableDocumentError(
        'pdf_encrypted',
        'it is password-protected; save or print it as a PDF without a password and post it again',
        { detail: message },
      );
    case 'InvalidPDFException':
      if (/empty/i.test(message)) return new UnreadableDocumentError('pdf_empty', 'the file is empty', { detail: message });
      return new UnreadableDocumentError(
        'pdf_corrupt',
        `it is damaged or not a complete PDF${plainCause(message)}; if it was cut off while downloading, upload it again`,
        { detail: message },
      );
    default:
      return new UnreadableDocumentError('pdf_corrupt', `it is damaged and could not be read${plainCause(message)}`, {
        detail: `${name}: ${message}`,
      });
  }
}
