import iconv from 'iconv-lite';
/** How far into a file a PDF header is looked for: readers find one after a long prefix too. */
const HEADER_SEARCH_BYTES = 1024 * 1024;
/** How much of a file's end is searched for the cross-reference keywords a PDF ends with. */
const TAIL_SEARCH_BYTES = 64 * 1024;

/**
 * Says whether a file may be a PDF, whatever its name claims, as leniently as the readers: a
 * `%PDF-` header anywhere in its first megabyte (mail gateways, archivers and scanners put
 * prefixes before it; pdf.js and poppler open such files), unless its first bytes say it is
 * something else (an image, an archive, a web page). The parser then decides.
 */
export function isPdf(data: Buffer): boolean {
  if (data.subarray(0, 1024).includes('%PDF-')) return true;
  if (SIGNATURES.some(([, test]) => test(data))) return false;
  return data.subarray(0, HEADER_SEARCH_BYTES).includes('%PDF-');
}

/** Whether a file begins as a PDF does: `%PDF-` first (after a byte-order mark or blank space at most). */
export function startsLikePdf(data: Buffer): boolean {
  let at = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (at < data.length && at < 1024 && (data[at] === 0x20 || data[at] === 0x09 || data[at] === 0x0a || data[at] === 0x0d || data[at] === 0x0c || data[at] === 0)) at++;
  return data.subarray(at, at + 5).toString('latin1') === '%PDF-';
}

/**
 * Whether a file is built like a PDF even without its `%PDF-` line (cut off by a tool, or never
 * written): numbered objects (`1 0 obj` … `endobj`) near its start and a cross-reference
 * (`xref`, `trailer` or `startxref`) near its end. pdf.js rebuilds the rest and opens it.
 */
export function hasPdfStructure(data: Buffer): boolean {
  if (SIGNATURES.some(([, test]) => test(data))) return false;
  const head = data.subarray(0, HEADER_SEARCH_BYTES).toString('latin1');
  if (!/(?:^|\s)\d+\s+\d+\s+obj\b/.test(head) || !/\bendobj\b/.test(head)) return false;
  const tail = data.subarray(Math.max(0, data.length - TAIL_SEARCH_BYTES)).toString('latin1');
  return /\b(?:startxref|trailer|xref)\b/.test(tail);
}

const SIGNATURES: readonly [string, (d: Buffer) => boolean][] = [
  ['a PNG image', (d) => d.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['a JPEG image', (d) => d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff],
  ['a GIF image', (d) => d.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['a WebP image', (d) => d.subarray(0, 4).toString('latin1') === 'RIFF' && d.subarray(8, 12).toString('latin1') === 'WEBP'],
  ['a ZIP archive or Office document (docx, xlsx, pptx)', (d) => d.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))],
  ['an HTML page', (d) => /^\s*(<!doctype html|<html)/i.test(d.subarray(0, 256).toString('utf8'))],
];

export function describeContent(data: Buffer): string {
  for (const [label, test] of SIGNATURES) if (test(data)) return label;
  return looksLikeText(data) ? 'plain text' : 'an unrecognised binary file';
}

/** The byte order of UTF-16 text: from its byte-order mark, or from the NUL bytes that ASCII characters leave in every other byte. */
function utf16Order(data: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (data[0] === 0xff && data[1] === 0xfe) return 'utf-16le';
  if (data[0] === 0xfe && data[1] === 0xff) return 'utf-16be';
  const head = data.subarray(0, Math.min(data.length, 65_536) & ~1);
  const pairs = head.length / 2;
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < head.length; i += 2) {
    if (head[i] === 0 && head[i + 1] !== 0) evenNul++;
    if (head[i + 1] === 0 && head[i] !== 0) oddNul++;
  }
  // Most characters with one NUL byte, always on the same side: Latin-script text in UTF-16.
  if (oddNul > pairs / 2 && evenNul === 0) return 'utf-16le';
  if (evenNul > pairs / 2 && oddNul === 0) return 'utf-16be';
  return undefined;
}

/**
 * Whether bytes are text: few control characters in the first 64 KB and no NUL byte, unless the
 * NULs are UTF-16's (with or without a byte-order mark). A binary file named .txt or .csv is
 * refused, never indexed as noise.
 */
export function looksLikeText(data: Buffer): boolean {
  const order = utf16Order(data);
  const head = order ? Buffer.from(new TextDecoder(order).decode(data.subarray(0, 65_536)), 'utf8') : data.subarray(0, 65_536);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) control++;
  }
  return control <= head.length * 0.01;
}

/** Length of the valid UTF-8 sequence starting at `i` (a byte of 0x80 or more), or 0 when none starts there. */
function utf8Sequence(data: Buffer, i: number): number {
  const lead = data[i] ?? 0;
  const continuation = (k: number, low = 0x80, high = 0xbf) => {
    const byte = data[i + k];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const [low, high] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Text in the encoding it most likely has. A byte-order mark decides (UTF-8, UTF-16 LE/BE);
 * UTF-16 without one is told by its NUL bytes. Otherwise UTF-8 when most of the non-ASCII bytes
 * form valid UTF-8 characters (a few stray bytes become U+FFFD, the rest of the text is kept),
 * else Windows-1252, whose accented letters are rarely valid UTF-8.
 */
export function decodeText(data: Buffer): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return new TextDecoder('utf-8').decode(data.subarray(3));
  const order = utf16Order(data);
  if (order) return new TextDecoder(order).decode(data[0] === 0xff || data[0] === 0xfe ? data.subarray(2) : data);
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < data.length; i++) {
    if ((data[i] ?? 0) < 0x80) continue;
    const length = utf8Sequence(data, i);
    if (length > 0) {
      valid++;
      i += length - 1;
    } else invalid++;
  }
  // iconv-lite: Node's TextDecoder reads 'windows-1252' as Latin-1, losing €, curly quotes and dashes.
  return valid >= invalid ? new TextDecoder('utf-8', { ignoreBOM: true }).decode(data) : iconv.decode(data, 'windows-1252');
}

export function isZip(data: Buffer): boolean {
  return data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}
