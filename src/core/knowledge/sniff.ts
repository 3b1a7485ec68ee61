/** Says what a file is from its first bytes, whatever its name claims. */
export function isPdf(data: Buffer): boolean {
  // The PDF header may be preceded by junk; readers accept it within the first 1,024 bytes.
  return data.subarray(0, 1024).includes('%PDF-');
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
