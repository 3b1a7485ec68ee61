/** How far into a file a PDF header is looked for: readers find one after a long prefix too. */
const HEADER_SEARCH_BYTES = 1024 * 1024;

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
  const head = data.subarray(0, 512);
  const printable = [...head].filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128).length;
  return head.length > 0 && printable / head.length > 0.95 ? 'plain text' : 'an unrecognised binary file';
}

/**
 * Whether bytes are text: no NUL byte and few control characters in the first 64 KB (UTF-16
 * with a byte-order mark counts). A binary file named .txt or .csv is refused, never indexed as
 * noise.
 */
export function looksLikeText(data: Buffer): boolean {
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) return true;
  const head = data.subarray(0, 65_536);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) control++;
  }
  return control <= head.length * 0.01;
}

/** Text in the encoding it most likely has: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252. */
export function decodeText(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder('windows-1252').decode(data);
  }
}

export function isZip(data: Buffer): boolean {
  return data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}
