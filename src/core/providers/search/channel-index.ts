import { MemoryIndex, TopK, type IndexRow, type MemoryIndexParts } from './memory-index.js';

interface Segment {
  readonly index: MemoryIndex;
  /** Documents deleted since this segment was built: their rows are skipped. */
  readonly deleted: Set<string>;
}

/** A segment as a snapshot file holds it. */
export interface SegmentParts {
  readonly parts: MemoryIndexParts;
  readonly deleted: readonly string[];
}

/** When this many segments or this share of deleted rows accumulate, the owner rebuilds from storage. */
const MAX_SEGMENTS = 32;
const MAX_DELETED_SHARE = 0.25;

/**
 * One channel's search index: immutable segments, one per write, searched as one (BM25 IDF is
 * computed over all live segments). New passages become a new segment and deletions are
 * recorded per segment, so writes never force a rebuild of the whole channel; `needsRebuild`
 * says when compaction is due.
 */
export class ChannelIndex {
  private readonly segments: Segment[] = [];
  /** Segments added by writes since the index was built (those built in steps do not count). */
  private writeSegments = 0;
  private rows = 0;
  private deletedRows = 0;

  constructor(
    private readonly dimensions: number | undefined,
    initial: readonly IndexRow[] = [],
  ) {
    if (initial.length > 0) this.add(initial, 'build');
  }

  /** An index restored from a snapshot's segments (see index-snapshot.ts). */
  static restore(dimensions: number | undefined, segments: readonly SegmentParts[]): ChannelIndex {
    const index = new ChannelIndex(dimensions);
    for (const { parts, deleted } of segments) {
      const segment = { index: new MemoryIndex(parts, dimensions), deleted: new Set(deleted) };
      index.segments.push(segment);
      index.rows += segment.index.size;
      for (const id of deleted) index.deletedRows += segment.index.rowsPerDocument.get(id) ?? 0;
    }
    return index;
  }

  /** The segments as flat arrays, for a snapshot file. */
  snapshot(): SegmentParts[] {
    return this.segments.map((s) => ({ parts: s.index.toParts(), deleted: [...s.deleted] }));
  }

  /** Rows held, deleted ones included. */
  get size(): number {
    return this.rows;
  }

  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.index.bytes, 0);
  }

  get needsRebuild(): boolean {
    return this.writeSegments > MAX_SEGMENTS || (this.rows > 0 && this.deletedRows / this.rows > MAX_DELETED_SHARE);
  }

  /** Adds rows as a new segment: `build` while the index is first built from storage, `write` for new passages. */
  add(rows: readonly IndexRow[], kind: 'build' | 'write' = 'write'): void {
    if (rows.length === 0) return;
    this.segments.push({ index: new MemoryIndex(rows, this.dimensions), deleted: new Set() });
    this.rows += rows.length;
    if (kind === 'write') this.writeSegments++;
  }

  removeDocument(documentId: string): void {
    for (const segment of this.segments) {
      const count = segment.index.rowsPerDocument.get(documentId);
      if (count !== undefined && !segment.deleted.has(documentId)) {
        segment.deleted.add(documentId);
        this.deletedRows += count;
      }
    }
  }

  lexical(tokens: readonly string[], visible: ReadonlySet<string>, depth: number): number[] {
    // Statistics include rows of deleted documents until the next rebuild (at most a quarter of
    // the rows), so document frequencies and the row count stay consistent with each other.
    const idf = new Map<string, number>();
    for (const token of new Set(tokens)) {
      const df = this.segments.reduce((sum, s) => sum + s.index.documentFrequency(token), 0);
      if (df > 0) idf.set(token, Math.log(1 + (this.rows - df + 0.5) / (df + 0.5)));
    }
    if (idf.size === 0) return [];
    return this.merge((segment) => segment.index.lexical(idf, this.visibleIn(segment, visible), depth), depth);
  }

  nearest(vector: Float32Array, visible: ReadonlySet<string>, depth: number, minSimilarity: number): number[] {
    return this.merge((segment) => segment.index.nearest(vector, this.visibleIn(segment, visible), depth, minSimilarity), depth);
  }

  /** The highest cosine similarity among visible rows, or undefined when no row has a vector. */
  bestSimilarity(vector: Float32Array, visible: ReadonlySet<string>): number | undefined {
    let best: number | undefined;
    for (const segment of this.segments) {
      const top = segment.index.nearest(vector, this.visibleIn(segment, visible), 1, -1)[0];
      if (top && (best === undefined || top.score > best)) best = top.score;
    }
    return best;
  }

  private visibleIn(segment: Segment, visible: ReadonlySet<string>): (documentId: string) => boolean {
    return (id) => visible.has(id) && !segment.deleted.has(id);
  }

  private merge(search: (segment: Segment) => { rowid: number; score: number }[], depth: number): number[] {
    if (this.segments.length === 1) return search(this.segments[0]).map((s) => s.rowid);
    const best = new TopK(depth);
    for (const segment of this.segments) for (const item of search(segment)) best.offer(item.rowid, item.score);
    return best.items.map((s) => s.rowid);
  }
}
