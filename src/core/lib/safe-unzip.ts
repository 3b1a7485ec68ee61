import { AsyncLocalStorage } from 'node:async_hooks';
import { Inflate, strFromU8 } from 'fflate';
import { UnreadableDocumentError } from '../ports/errors.js';

/**
 * ZIP archives (Office documents) judged by what they really inflate to. The central directory
 * is read for names and offsets (as Word, Excel and the other readers read it); its declared
 * sizes are only a first filter (`declaredTotal`). Entries are then inflated in small steps with
 * fflate's streaming `Inflate`, and every byte produced is counted against a cap per entry and in
 * total: a part that claims 4 KB and inflates to a gigabyte is stopped at the cap, with memory
 * flat meanwhile. Archives inside the archive (an embedded workbook in a deck) are never opened:
 * the nesting depth is one.
 */

export interface UnzipLimits {
  /** Most bytes all entries together may inflate to (MAX_UNPACKED_MB). */
  readonly maxBytes: number;
  /**
   * Most bytes one entry may inflate to: half the total, as a part read as text takes twice its
   * bytes again (UTF-16, outside the reader's heap), so the largest part and all the parts fit together.
   */
  readonly maxEntryBytes: number;
  /** Most inflated bytes per byte of the archive: beyond, it is a zip bomb, whatever the total. */
  readonly maxRatio: number;
  /** Most entries an archive may list. */
  readonly maxEntries: number;
}

const MIB = 1024 * 1024;
export const DEFAULT_UNZIP_LIMITS: UnzipLimits = { maxBytes: 256 * MIB, maxEntryBytes: 128 * MIB, maxRatio: 200, maxEntries: 20_000 };

/** The default limits with MAX_UNPACKED_MB's bytes as the cap in total (and half of it per entry). */
export function unzipLimits(maxUnpackedBytes: number | undefined): UnzipLimits {
  if (maxUnpackedBytes === undefined) return DEFAULT_UNZIP_LIMITS;
  return { ...DEFAULT_UNZIP_LIMITS, maxBytes: maxUnpackedBytes, maxEntryBytes: Math.floor(maxUnpackedBytes / 2) };
}

/** Compressed bytes handed to the inflater at a time: one step yields at most ~1,032 times as much. */
const STEP = 16 * 1024;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  /** What the directory says the entry inflates to: a claim, never trusted. */
  readonly declaredSize: number;
  readonly localOffset: number;
}

/** A ZIP file that cannot be read as one (the callers say which kind of document it is). */
export class ZipFormatError extends Error {}

const limitsHere = new AsyncLocalStorage<UnzipLimits>();

/** Runs `work` with these limits for every `safeUnzip` inside it (the readers take no limits themselves). */
export function withUnzipLimits<T>(limits: UnzipLimits, work: () => T): T {
  return limitsHere.run(limits, work);
}

export function currentUnzipLimits(): UnzipLimits {
  return limitsHere.getStore() ?? DEFAULT_UNZIP_LIMITS;
}

const u16 = (d: Uint8Array, at: number) => d[at] | (d[at + 1] << 8);
const u32 = (d: Uint8Array, at: number) => (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16)) + d[at + 3] * 0x1000000;
const u64 = (d: Uint8Array, at: number) => u32(d, at) + u32(d, at + 4) * 0x100000000;

function need(data: Uint8Array, at: number, length: number, what: string): void {
  if (at < 0 || at + length > data.length) throw new ZipFormatError(`${what} lies outside the file`);
}

/** Where the central directory is and how many entries it says it has. */
function directory(data: Uint8Array): { offset: number; entries: number } {
  let end = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (u32(data, at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError('no end of central directory record');
  let entries = u16(data, end + 10);
  let offset = u32(data, end + 16);
  if ((entries === 0xffff || offset === 0xffffffff) && end >= 20 && u32(data, end - 20) === 0x07064b50) {
    const zip64 = u64(data, end - 12);
    need(data, zip64, 56, 'the ZIP64 directory record');
    if (u32(data, zip64) !== 0x06064b50) throw new ZipFormatError('broken ZIP64 directory record');
    entries = u64(data, zip64 + 32);
    offset = u64(data, zip64 + 48);
  }
  return { offset, entries };
}

/**
 * The entries the central directory lists, at most `maxEntries` of them (more is refused before
 * any is read). Nothing is inflated.
 */
export function listZip(data: Uint8Array, maxEntries = DEFAULT_UNZIP_LIMITS.maxEntries): ZipEntry[] {
  const { offset, entries: count } = directory(data);
  if (count > maxEntries) throw tooManyEntries(count, maxEntries);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    need(data, at, 46, 'a directory entry');
    if (u32(data, at) !== 0x02014b50) throw new ZipFormatError('broken central directory');
    const flags = u16(data, at + 8);
    const nameLength = u16(data, at + 28);
    const extraLength = u16(data, at + 30);
    need(data, at + 46, nameLength + extraLength, 'a directory entry');
    let compressedSize = u32(data, at + 20);
    let declaredSize = u32(data, at + 24);
    let localOffset = u32(data, at + 42);
    // ZIP64: the sizes and offset that do not fit 32 bits are in the extra field, in this order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; x += 4 + u16(data, x + 2)) {
      if (u16(data, x) !== 0x0001) continue;
      let field = x + 4;
      const next = () => {
        const value = u64(data, field);
        field += 8;
        return value;
      };
      if (declaredSize === 0xffffffff) declaredSize = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (localOffset === 0xffffffff) localOffset = next();
    }
    const name = strFromU8(data.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) === 0);
    entries.push({ name, method: u16(data, at + 10), encrypted: (flags & 1) !== 0, compressedSize, declaredSize, localOffset });
    at += 46 + nameLength + extraLength + u16(data, at + 32);
  }
  return entries;
}

/** What the directory claims all entries inflate to: the first, cheap filter. */
export function declaredTotal(entries: readonly ZipEntry[]): number {
  return entries.reduce((sum, e) => sum + e.declaredSize, 0);
}

/** The entry's compressed bytes, as its local header places them. */
function entryData(data: Uint8Array, entry: ZipEntry): Uint8Array {
  need(data, entry.localOffset, 30, `the part ${entry.name}`);
  if (u32(data, entry.localOffset) !== 0x04034b50) throw new ZipFormatError(`broken local header for ${entry.name}`);
  const start = entry.localOffset + 30 + u16(data, entry.localOffset + 26) + u16(data, entry.localOffset + 28);
  need(data, start, entry.compressedSize, `the part ${entry.name}`);
  return data.subarray(start, start + entry.compressedSize);
}

/** A refusal for an archive that inflates past a cap; `bound` says which one. */
export function unpackRefusal(bound: 'total' | 'entry' | 'ratio', limits: UnzipLimits, archiveBytes: number, entry?: string): UnreadableDocumentError {
  const mb = (bytes: number) => `${Number((bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)).toLocaleString('en-US')} MB`;
  const reason =
    bound === 'ratio'
      ? `it unpacks to more than ${limits.maxRatio} times its size (over ${mb(limits.maxRatio * archiveBytes)})`
      : bound === 'entry'
        ? `its part ${entry ?? ''} alone unpacks to more than ${mb(limits.maxEntryBytes)} (half of MAX_UNPACKED_MB)`
        : `it unpacks to more than ${mb(limits.maxBytes)} (MAX_UNPACKED_MB)`;
  return new UnreadableDocumentError('zip_bomb', `${reason}, far more than a document holds (a zip bomb?)`);
}

function tooManyEntries(count: number, max: number): UnreadableDocumentError {
  return new UnreadableDocumentError('zip_bomb', `its archive lists ${count.toLocaleString('en-US')} parts, more than the ${max.toLocaleString('en-US')} a document holds (a zip bomb?)`);
}

/** Inflates compressed deflate data in small steps, handing each piece produced to `take` until it returns false. */
function inflateSteps(compressed: Uint8Array, take: (chunk: Uint8Array) => boolean): void {
  let going = true;
  const inflater = new Inflate((chunk) => {
    if (going) going = take(chunk);
  });
  if (compressed.length === 0) inflater.push(compressed, true);
  for (let at = 0; at < compressed.length && going; at += STEP) inflater.push(compressed.subarray(at, at + STEP), at + STEP >= compressed.length);
}

/** What an entry really inflates to, counted and thrown away; stops just past `budget`. */
function measure(compressed: Uint8Array, method: number, budget: number): number {
  if (method === 0) return compressed.length;
  let bytes = 0;
  inflateSteps(compressed, (chunk) => {
    bytes += chunk.length;
    return bytes <= budget;
  });
  return bytes;
}

/** The entry's bytes, into an array of the size measured before. */
function extract(compressed: Uint8Array, method: number, size: number, name: string): Uint8Array {
  if (method === 0) return compressed.slice();
  const out = new Uint8Array(size);
  let length = 0;
  inflateSteps(compressed, (chunk) => {
    if (length + chunk.length > size) throw new ZipFormatError(`the part ${name} changed while it was read`);
    out.set(chunk, length);
    length += chunk.length;
    return true;
  });
  return out;
}

/**
 * The entries `wanted` picks (all by default), inflated under the limits; every other entry is
 * left compressed. Every wanted entry is first inflated only to count its bytes (memory stays
 * flat whatever it inflates to), and refused with `zip_bomb` past a cap; then the entries are
 * inflated into arrays of exactly their size. A damaged archive throws ZipFormatError.
 */
export function safeUnzip(data: Uint8Array, wanted: (name: string) => boolean = () => true, limits: UnzipLimits = currentUnzipLimits()): Record<string, Uint8Array> {
  const ratioCap = limits.maxRatio * data.length;
  const totalCap = Math.min(limits.maxBytes, ratioCap);
  const picked: { entry: ZipEntry; compressed: Uint8Array; size: number }[] = [];
  let total = 0;
  for (const entry of listZip(data, limits.maxEntries)) {
    if (!wanted(entry.name) || entry.name.endsWith('/')) continue;
    if (entry.encrypted) throw new ZipFormatError(`the part ${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`the part ${entry.name} uses compression method ${entry.method}, which Office files do not`);
    const compressed = entryData(data, entry);
    const remaining = totalCap - total;
    const size = measure(compressed, entry.method, Math.min(limits.maxEntryBytes, remaining));
    if (size > limits.maxEntryBytes && limits.maxEntryBytes < remaining) throw unpackRefusal('entry', limits, data.length, entry.name);
    if (size > remaining) throw unpackRefusal(ratioCap < limits.maxBytes ? 'ratio' : 'total', limits, data.length);
    total += size;
    picked.push({ entry, compressed, size });
  }
  const files: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  for (const { entry, compressed, size } of picked) files[entry.name] = extract(compressed, entry.method, size, entry.name);
  return files;
}
