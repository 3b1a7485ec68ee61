/**
 * Features a PDF may use that Docent's reader (pdf.js) cannot decode, found in the file's own
 * dictionaries. Used only to name the cause when reading failed or found no text, so a Brotli-
 * compressed file is not called "damaged".
 */

/**
 * Stream filters that real PDFs use and pdf.js does not decode. Only filters known to exist count:
 * any other unknown name is damage (fuzzed files hold "/DCTecode"), and `/Filter` also names
 * signature handlers ("/Adobe.PPKLite").
 */
const UNSUPPORTED_FILTERS = new Map([
  ['BrotliDecode', 'Brotli (/BrotliDecode)'],
  ['Br', 'Brotli (/Br)'],
]);

const FILTER = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9#]+)/g;

/** The stream filters the file names that pdf.js does not decode ("BrotliDecode"), each once. */
export function unsupportedFilters(data: Buffer): string[] {
  const text = data.toString('latin1');
  const found = new Set<string>();
  for (const match of text.matchAll(FILTER)) {
    for (const name of (match[1] ?? '').match(/\/[A-Za-z0-9#]+/g) ?? []) {
      const filter = name.slice(1);
      if (UNSUPPORTED_FILTERS.has(filter)) found.add(filter);
    }
    if (found.size >= 3) break;
  }
  return [...found];
}

/** The refusal's wording for unsupported filters. */
export function unsupportedReason(filters: readonly string[]): string {
  const names = [...new Set(filters.map((f) => UNSUPPORTED_FILTERS.get(f) ?? `/${f}`))].join(', ');
  return `it uses ${names} compression, which Docent's PDF reader cannot decode yet; open it in a PDF viewer and save or print it as a new PDF, then post that copy`;
}
