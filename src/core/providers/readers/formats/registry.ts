import { UnreadableDocumentError } from '../../../ports/errors.js';
import { describeContent } from '../../../lib/sniff.js';
import { formatMegabytes } from '../../../lib/megabytes.js';
import { declaredTotal, listZip, unzipLimits } from '../../../lib/safe-unzip.js';
import { DamagedFileError } from '../damaged-file.js';
import type { DocumentFormat, TextPart } from './document-format.js';

/** What Docent knows of the formats it reads, asked by name, MIME type or bytes (the formats are listed in index.ts). */
export interface FormatRegistry {
  readonly formats: readonly DocumentFormat[];
  /** What people are told Docent reads: "PDF, Word (.docx), … and plain text (.txt)". */
  readonly readable: string;
  byId(id: string): DocumentFormat | undefined;
  /** The format a file's name promises (undefined: none Docent reads, as named). */
  ofName(name: string): DocumentFormat | undefined;
  /** The format a stored file's places are cited in: its name's, else the one files without a known name are read as (PDF). */
  citedAs(name: string): DocumentFormat;
  /** Whether a posted file is one Docent indexes: by its name, or by a MIME type of a format told by its bytes whatever the name. */
  isDocumentFile(name: string, mimeType?: string): boolean;
  /** What a file is read as, by its name and its bytes together; undefined when they say no format Docent reads. */
  readAs(name: string, data: Buffer): DocumentFormat | undefined;
  /** The format's refusal of a file named as it whose bytes are not it (or are text that reads as noise). */
  mismatch(format: DocumentFormat, name: string, data: Buffer): UnreadableDocumentError;
  /** readAs, with an archive's directory checked against the unpack limits; else a refusal saying what the file looks like instead. */
  recognise(name: string, data: Buffer, maxUnpackedBytes?: number): DocumentFormat;
  /** A document's parts, read by its format's parts reader; damage is said in the format's words. */
  read(id: string, data: Buffer): Promise<readonly TextPart[]>;
}

const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase() ?? '';

const mismatch = (format: DocumentFormat, name: string, data: Buffer) => format.refusals.mismatch(describeContent(data), extensionOf(name));

/** "A, B and C". */
const listed = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`);

/** Each key (extension, MIME type, id) to the one format that declares it; a key declared twice is a mistake in the list. */
function index(formats: readonly DocumentFormat[], keys: (format: DocumentFormat) => readonly string[], what: string): Map<string, DocumentFormat> {
  const map = new Map<string, DocumentFormat>();
  for (const format of formats) {
    for (const key of keys(format)) {
      const other = map.get(key);
      if (other) throw new Error(`the ${what} ${key} is declared by both ${other.id} and ${format.id}`);
      map.set(key, format);
    }
  }
  return map;
}

/** A format's declaration, checked where a mistake would otherwise surface only when such a file is posted. */
function checkDeclaration(format: DocumentFormat): void {
  const mistake =
    format.extensions.length === 0
      ? 'declares no extension'
      : format.extensions.some((e) => !/^[a-z0-9]+$/.test(e))
        ? 'declares an extension that is not lowercase letters and digits without the dot'
        : format.bytes.archive && format.refusals.brokenArchive === undefined
          ? 'is an archive but declares no refusal for a broken one (refusals.brokenArchive)'
          : undefined;
  if (mistake) throw new Error(`the document format ${format.id} ${mistake}`);
}

/**
 * The registry of these formats, in this order (the order the list of readable formats says
 * them). At least one must be told by its bytes whatever the name (`bytes.begins`): the first
 * such is what a file without a known name is read as, and how its places are cited.
 */
export function createFormatRegistry(formats: readonly DocumentFormat[]): FormatRegistry {
  for (const format of formats) checkDeclaration(format);
  const byId = index(formats, (f) => [f.id], 'id');
  const byExtension = index(formats, (f) => f.extensions, 'extension');
  const byMime = index(formats, (f) => f.mimeTypes, 'MIME type');
  const evident = formats.filter((f) => f.bytes.begins !== undefined);
  const fallback = evident[0];
  if (fallback === undefined) throw new Error('no format is told by its bytes whatever the name (bytes.begins): a file without a known name could not be read');
  const readable = listed(formats.map((f) => f.listed));
  const ofName = (name: string) => byExtension.get(extensionOf(name));

  const readAs = (name: string, data: Buffer): DocumentFormat | undefined => {
    const named = ofName(name);
    // A text or archive name on bytes that begin as a PDF, or that are not the named format but hold one, is a PDF.
    if (named !== undefined && named.bytes.begins === undefined) {
      const begun = evident.find((f) => f.bytes.begins?.(data));
      if (begun) return begun;
    }
    if (named?.bytes.holds(data)) return named;
    return evident.find((f) => f !== named && f.bytes.holds(data));
  };

  return {
    formats,
    readable,
    byId: (id) => byId.get(id),
    ofName,
    citedAs: (name) => ofName(name) ?? fallback,
    isDocumentFile: (name, mimeType) => ofName(name) !== undefined || (mimeType !== undefined && byMime.get(mimeType)?.bytes.begins !== undefined),
    readAs,
    mismatch,
    recognise(name, data, maxUnpackedBytes) {
      const format = readAs(name, data);
      if (format?.bytes.archive) checkArchive(format, data, maxUnpackedBytes);
      if (format) return format;
      const named = ofName(name);
      if (named) throw mismatch(named, name, data);
      if (!/\.[a-z0-9]+$/i.test(name.trim())) throw mismatch(fallback, name, data);
      throw new UnreadableDocumentError('unsupported_format', `Docent reads ${readable}, and this is none of them (it looks like ${describeContent(data)})`);
    },
    async read(id, data) {
      const format = byId.get(id);
      if (format?.reader.kind !== 'parts') throw new Error(`no parts reader reads ${id}`);
      try {
        return await format.reader.read(data);
      } catch (error) {
        if (error instanceof DamagedFileError && format.refusals.damaged) throw format.refusals.damaged(error.message);
        throw error;
      }
    },
  };
}

/**
 * Refuses an archive whose directory already claims too much (more parts, or more bytes in all or
 * relative to its size, than the limits allow) before anything is unpacked. This is only the
 * first filter: the reader counts what the parts really inflate to (lib/safe-unzip.ts).
 */
function checkArchive(format: DocumentFormat, data: Buffer, maxUnpackedBytes: number | undefined): void {
  const limits = unzipLimits(maxUnpackedBytes);
  let bytes: number;
  let entries: number;
  try {
    const listing = listZip(data, limits.maxEntries);
    bytes = declaredTotal(listing);
    entries = listing.length;
  } catch (error) {
    const broken = format.refusals.brokenArchive;
    if (error instanceof UnreadableDocumentError || broken === undefined) throw error;
    throw broken(error instanceof Error ? error.message : String(error));
  }
  const parts = `${entries.toLocaleString('en-US')} part${entries === 1 ? '' : 's'}`;
  if (bytes > limits.maxBytes) {
    throw new UnreadableDocumentError('zip_bomb', `it would unpack to ${formatMegabytes(bytes)} in ${parts}, over the limit of ${formatMegabytes(limits.maxBytes)} (MAX_UNPACKED_MB): far more than a document holds (a zip bomb?)`);
  }
  if (bytes > data.length * limits.maxRatio) {
    throw new UnreadableDocumentError('zip_bomb', `it would unpack to ${formatMegabytes(bytes)} in ${parts}, more than ${limits.maxRatio} times its size: far more than a document holds (a zip bomb?)`);
  }
}
