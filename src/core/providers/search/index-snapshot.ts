import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ChannelIndex, type SegmentParts } from './channel-index.js';
import { createDotKernel, type DotKernel } from './dot-kernel.js';
import type { MemoryIndexParts } from './memory-index.js';

/**
 * Channel indexes saved to disk, so a restart does not rebuild them from the database: building
 * a 50,000-passage channel reads every passage, its tokens and its vector (seconds); loading its
 * snapshot reads one file of flat arrays (a fraction of a second). A snapshot says which storage
 * state it holds (the channel's epoch, the highest row, the row count and the last row's
 * document); the store checks that before using it and reads only the rows added since. Files
 * are written whole under a temporary name and renamed, so a crash never leaves half a snapshot;
 * any file that does not read back exactly is ignored (and the channel built as before).
 */
export interface SnapshotMeta {
  readonly tenant: string;
  readonly epoch: number;
  /** The highest row id (SQLite rowid, PostgreSQL seq) held. */
  readonly through: number;
  /** Rows in storage up to `through` when it was taken. */
  readonly rows: number;
  /** The document of the row at `through`. */
  readonly lastDocument: string;
  readonly model: string | null;
  readonly dimensions: number | null;
}

/** Whether a snapshot was taken at this epoch with this embedding (the row checks are the store's). */
export function sameIndexing(meta: SnapshotMeta, epoch: number, embedding: { readonly model: string; readonly dimensions: number } | undefined): boolean {
  return meta.epoch === epoch && meta.model === (embedding?.model ?? null) && meta.dimensions === (embedding?.dimensions ?? null);
}

const MAGIC = 'DOCENTIX';
const VERSION = 1;
const ARRAYS = ['rowids', 'documentOf', 'postingOffsets', 'postingRows', 'postingWeights', 'hasVector', 'vectors'] as const;
type ArrayName = (typeof ARRAYS)[number];
const TYPES = { rowids: Int32Array, documentOf: Uint32Array, postingOffsets: Int32Array, postingRows: Int32Array, postingWeights: Float32Array, hasVector: Uint8Array, vectors: Float32Array } as const;

interface SegmentHeader {
  readonly documentIds: readonly string[];
  readonly tokens: readonly string[];
  readonly deleted: readonly string[];
  /** Byte offset (from the start of the data) and length of each array. */
  readonly arrays: Partial<Record<ArrayName, readonly [number, number]>>;
}

const align = (n: number) => Math.ceil(n / 8) * 8;

export class IndexSnapshots {
  private readonly writing = new Map<string, Promise<void>>();
  /** Snapshots used, refused (stale or damaged) and saved since start (for the bench and tests). */
  readonly counts = { loaded: 0, refused: 0, saved: 0 };

  constructor(
    private readonly dir: string,
    private readonly onError: (error: unknown, tenant: string) => void = () => undefined,
  ) {}

  private file(tenant: string): string {
    return path.join(this.dir, `${createHash('sha256').update(tenant).digest('hex').slice(0, 32)}.idx`);
  }

  /** The saved index of `tenant` when there is one and `matches` accepts what it holds. */
  async load(tenant: string, matches: (meta: SnapshotMeta) => Promise<boolean>): Promise<{ index: ChannelIndex; meta: SnapshotMeta } | undefined> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.file(tenant), 'r');
    } catch {
      return undefined;
    }
    try {
      const { meta, segments, dataStart } = await readHeader(handle);
      if (meta.tenant !== tenant || !(await matches(meta))) {
        this.counts.refused++;
        return undefined;
      }
      const parts: SegmentParts[] = [];
      for (const segment of segments) parts.push(await readSegment(handle, segment, dataStart, meta.dimensions));
      const index = ChannelIndex.restore(meta.dimensions ?? undefined, parts);
      this.counts.loaded++;
      return { index, meta };
    } catch (error) {
      this.counts.refused++;
      this.onError(error, tenant);
      return undefined;
    } finally {
      await handle.close();
    }
  }

  /** Saves in the background, one write per channel at a time; flush() waits for them. */
  save(meta: SnapshotMeta, index: ChannelIndex): void {
    // Taken now: segments added to the index later are not part of what `meta` describes.
    const segments = index.snapshot();
    const previous = this.writing.get(meta.tenant) ?? Promise.resolve();
    const next = previous
      .then(() => write(this.file(meta.tenant), meta, segments))
      .then(() => void this.counts.saved++)
      .catch((error: unknown) => this.onError(error, meta.tenant))
      .finally(() => {
        if (this.writing.get(meta.tenant) === next) this.writing.delete(meta.tenant);
      });
    this.writing.set(meta.tenant, next);
  }

  async flush(): Promise<void> {
    await Promise.all(this.writing.values());
  }
}

async function write(file: string, meta: SnapshotMeta, segments: readonly SegmentParts[]): Promise<void> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const headers: SegmentHeader[] = segments.map(({ parts, deleted }) => {
    const arrays: Partial<Record<ArrayName, readonly [number, number]>> = {};
    for (const name of ARRAYS) {
      const array = parts[name];
      if (!array) continue;
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      arrays[name] = [offset, bytes.byteLength];
      chunks.push(bytes);
      const padded = align(bytes.byteLength);
      if (padded > bytes.byteLength) chunks.push(new Uint8Array(padded - bytes.byteLength));
      offset += padded;
    }
    return { documentIds: parts.documentIds, tokens: parts.tokens, deleted, arrays };
  });
  const header = Buffer.from(JSON.stringify({ meta, segments: headers }), 'utf8');
  const preamble = Buffer.alloc(align(MAGIC.length + 8 + header.byteLength));
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(VERSION, MAGIC.length);
  preamble.writeUInt32LE(header.byteLength, MAGIC.length + 4);
  header.copy(preamble, MAGIC.length + 8);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.promises.open(temporary, 'w');
  try {
    await handle.write(preamble);
    for (const chunk of chunks) await handle.write(chunk);
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
}

async function readExactly(handle: fs.promises.FileHandle, target: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < target.byteLength; ) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error('snapshot is truncated');
    done += bytesRead;
  }
}

async function readHeader(handle: fs.promises.FileHandle): Promise<{ meta: SnapshotMeta; segments: SegmentHeader[]; dataStart: number }> {
  const start = Buffer.alloc(MAGIC.length + 8);
  await readExactly(handle, start, 0);
  if (start.toString('latin1', 0, MAGIC.length) !== MAGIC || start.readUInt32LE(MAGIC.length) !== VERSION) throw new Error('not a Docent index snapshot of this version');
  const headerBytes = start.readUInt32LE(MAGIC.length + 4);
  const header = Buffer.alloc(headerBytes);
  await readExactly(handle, header, start.byteLength);
  const { meta, segments } = JSON.parse(header.toString('utf8')) as { meta: SnapshotMeta; segments: SegmentHeader[] };
  return { meta, segments, dataStart: align(MAGIC.length + 8 + headerBytes) };
}

/**
 * Reads one segment's arrays straight into where they will live: typed arrays for the postings,
 * the search kernel's own memory for the vectors (no second copy of the largest part).
 */
async function readSegment(handle: fs.promises.FileHandle, header: SegmentHeader, dataStart: number, dimensions: number | null): Promise<SegmentParts> {
  const read = async <N extends Exclude<ArrayName, 'vectors'>>(name: N): Promise<InstanceType<(typeof TYPES)[N]>> => {
    const where = header.arrays[name];
    if (!where) throw new Error(`snapshot lacks ${name}`);
    const [offset, length] = where;
    const Type = TYPES[name];
    if (length % Type.BYTES_PER_ELEMENT !== 0) throw new Error(`snapshot ${name} has a broken length`);
    const array = new Type(length / Type.BYTES_PER_ELEMENT) as InstanceType<(typeof TYPES)[N]>;
    await readExactly(handle, new Uint8Array(array.buffer), dataStart + offset);
    return array;
  };
  const rowids = await read('rowids');
  let vectors: Float32Array | undefined;
  let hasVector: Uint8Array | undefined;
  let kernel: DotKernel | undefined;
  const where = header.arrays.vectors;
  if (where && header.arrays.hasVector) {
    if (dimensions === null || where[1] !== rowids.length * dimensions * 4) throw new Error('snapshot vectors do not fit its rows');
    hasVector = await read('hasVector');
    kernel = createDotKernel(rowids.length, dimensions);
    vectors = kernel.matrix();
    await readExactly(handle, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength), dataStart + where[0]);
  }
  const parts: MemoryIndexParts = {
    rowids,
    documentOf: await read('documentOf'),
    documentIds: header.documentIds,
    tokens: header.tokens,
    postingOffsets: await read('postingOffsets'),
    postingRows: await read('postingRows'),
    postingWeights: await read('postingWeights'),
    vectors,
    hasVector,
    kernel,
  };
  checkShape(parts, dimensions);
  return { parts, deleted: header.deleted };
}

/** Lengths that disagree mean a damaged file: refused rather than searched. */
function checkShape(parts: MemoryIndexParts, dimensions: number | null): void {
  const rows = parts.rowids.length;
  let ok =
    parts.documentOf.length === rows &&
    parts.postingOffsets.length === parts.tokens.length + 1 &&
    parts.postingOffsets[parts.tokens.length] === parts.postingRows.length &&
    parts.postingWeights.length === parts.postingRows.length &&
    (!parts.vectors || (dimensions !== null && parts.vectors.length === rows * dimensions && parts.hasVector?.length === rows));
  for (let i = 0; ok && i < rows; i++) ok = parts.documentOf[i] < parts.documentIds.length;
  const postings = parts.postingRows;
  for (let i = 0; ok && i < postings.length; i++) ok = postings[i] >= 0 && postings[i] < rows;
  for (let i = 0; ok && i < parts.tokens.length; i++) ok = parts.postingOffsets[i] <= parts.postingOffsets[i + 1];
  if (!ok) throw new Error('snapshot arrays do not fit together');
}
