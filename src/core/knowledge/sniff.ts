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
