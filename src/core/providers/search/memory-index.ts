import { bm25Weight } from '../../lib/tokenizer.js';
import { createDotKernel, type DotKernel } from './dot-kernel.js';

export interface IndexRow {
  readonly rowid: number;
  readonly documentId: string;
  readonly tokens: string;
  readonly vector: Float32Array | undefined;
}

export interface Scored {
  readonly rowid: number;
  readonly score: number;
}

interface Postings {
  readonly rows: Int32Array;
  readonly weights: Float32Array;
}

/**
 * A MemoryIndex as flat arrays (what a snapshot file holds): the postings of token i are
 * postingRows/postingWeights[postingOffsets[i] .. postingOffsets[i + 1]].
 */
export interface MemoryIndexParts {
  readonly rowids: Int32Array;
  readonly documentOf: Uint32Array;
  readonly documentIds: readonly string[];
  readonly tokens: readonly string[];
  readonly postingOffsets: Int32Array;
  readonly postingRows: Int32Array;
  readonly postingWeights: Float32Array;
  /** Row-major unit vectors (rows × dimensions) and which rows have one; absent without vectors. */
  readonly vectors: Float32Array | undefined;
  readonly hasVector: Uint8Array | undefined;
  /** The kernel already holding `vectors` (a snapshot reads them straight into its memory). */
  readonly kernel?: DotKernel;
}

/**
 * A fixed set of passages held in memory for search: BM25 postings built from their tokens and a
 * contiguous matrix of unit vectors for exact cosine similarity. Immutable once built; a channel's
 * index is a list of these (see ChannelIndex). Built from rows, or restored from its parts.
 */
export class MemoryIndex {
  readonly size: number;
  readonly bytes: number;
  readonly rowsPerDocument = new Map<string, number>();
  private readonly parts: MemoryIndexParts;
  private readonly postings = new Map<string, Postings>();
  private readonly dense: { kernel: DotKernel; hasVector: Uint8Array } | undefined;
  private readonly scores: Float32Array;
  private readonly seen: Uint8Array;

  constructor(source: readonly IndexRow[] | MemoryIndexParts, dimensions: number | undefined) {
    const rows = Array.isArray(source) ? (source as readonly IndexRow[]) : undefined;
    const parts = rows ? buildParts(rows) : (source as MemoryIndexParts);
    // The vectors live in the kernel's memory only (toParts() hands out a view of it).
    this.parts = { ...parts, vectors: undefined, hasVector: undefined, kernel: undefined };
    this.size = parts.rowids.length;
    for (const index of parts.documentOf) {
      const id = parts.documentIds[index];
      this.rowsPerDocument.set(id, (this.rowsPerDocument.get(id) ?? 0) + 1);
    }
    let postingBytes = 0;
    parts.tokens.forEach((token, i) => {
      const [start, end] = [parts.postingOffsets[i], parts.postingOffsets[i + 1]];
      this.postings.set(token, { rows: parts.postingRows.subarray(start, end), weights: parts.postingWeights.subarray(start, end) });
      postingBytes += (end - start) * 8 + token.length * 2 + 64;
    });
    this.dense = rows ? denseOf(rows, dimensions) : dimensions !== undefined && parts.vectors && parts.hasVector ? restoredDense(parts.vectors, parts.hasVector, dimensions, parts.kernel) : undefined;
    this.scores = new Float32Array(this.size);
    this.seen = new Uint8Array(this.size);
    this.bytes = postingBytes + this.size * 16 + (this.dense ? this.size * (dimensions ?? 0) * 4 : 0);
  }

  /** The flat arrays this index was made from (shared, not copied: treat as read-only). */
  toParts(): MemoryIndexParts {
    return { ...this.parts, vectors: this.dense?.kernel.matrix(), hasVector: this.dense?.hasVector };
  }

  private get rowids(): Int32Array {
    return this.parts.rowids;
  }

  private get documentOf(): Uint32Array {
    return this.parts.documentOf;
  }

  private get documentIds(): readonly string[] {
    return this.parts.documentIds;
  }

  documentFrequency(token: string): number {
    return this.postings.get(token)?.rows.length ?? 0;
  }

  /** BM25 scores (with the caller's IDF, so several indexes rank as one) of visible rows, best first. */
  lexical(idf: ReadonlyMap<string, number>, visible: (documentId: string) => boolean, depth: number): Scored[] {
    const allowed = Uint8Array.from(this.documentIds, (id) => (visible(id) ? 1 : 0));
    const { scores, seen } = this;
    const touched: number[] = [];
    for (const [token, weight] of idf) {
      const list = this.postings.get(token);
      if (!list) continue;
      const { rows, weights } = list;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k];
        if (seen[row] === 0) {
          seen[row] = 1;
          touched.push(row);
        }
        scores[row] += weight * weights[k];
      }
    }
    const best = new TopK(depth);
    for (const row of touched) {
      if (allowed[this.documentOf[row]]) best.offer(this.rowids[row], scores[row]);
      scores[row] = 0;
      seen[row] = 0;
    }
    return best.items;
  }

  /** Visible rows whose cosine similarity with `vector` is at least `minSimilarity`, best first. */
  nearest(vector: Float32Array, visible: (documentId: string) => boolean, depth: number, minSimilarity: number): Scored[] {
    if (!this.dense || vector.length !== this.dense.kernel.dimensions) return [];
    const allowed = Uint8Array.from(this.documentIds, (id) => (visible(id) ? 1 : 0));
    const similarities = this.dense.kernel.dots(vector);
    const best = new TopK(depth);
    const { hasVector } = this.dense;
    for (let row = 0; row < this.size; row++) {
      const s = similarities[row];
      if (s >= minSimilarity && hasVector[row] && allowed[this.documentOf[row]]) best.offer(this.rowids[row], s);
    }
    return best.items;
  }
}

function denseOf(rows: readonly IndexRow[], dimensions: number | undefined): { kernel: DotKernel; hasVector: Uint8Array } | undefined {
  if (dimensions === undefined || !rows.some((r) => r.vector?.length === dimensions)) return undefined;
  const kernel = createDotKernel(rows.length, dimensions);
  const hasVector = new Uint8Array(rows.length);
  for (const [i, row] of rows.entries()) {
    if (row.vector?.length !== dimensions) continue;
    kernel.setRow(i, row.vector);
    hasVector[i] = 1;
  }
  return { kernel, hasVector };
}

function restoredDense(vectors: Float32Array, hasVector: Uint8Array, dimensions: number, filled: DotKernel | undefined): { kernel: DotKernel; hasVector: Uint8Array } {
  if (filled && filled.matrix() === vectors) return { kernel: filled, hasVector };
  const kernel = createDotKernel(hasVector.length, dimensions);
  kernel.setRows(vectors);
  return { kernel, hasVector };
}

function buildParts(rows: readonly IndexRow[]): MemoryIndexParts {
  const documentIndex = new Map<string, number>();
  const documentIds: string[] = [];
  const documentOf = Uint32Array.from(rows, (r) => {
    let index = documentIndex.get(r.documentId);
    if (index === undefined) {
      index = documentIds.length;
      documentIndex.set(r.documentId, index);
      documentIds.push(r.documentId);
    }
    return index;
  });
  const building = new Map<string, { rows: number[]; weights: number[] }>();
  rows.forEach((row, i) => {
    const tokens = row.tokens.length === 0 ? [] : row.tokens.split(' ');
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, tf] of counts) {
      let list = building.get(token);
      if (!list) building.set(token, (list = { rows: [], weights: [] }));
      list.rows.push(i);
      list.weights.push(bm25Weight(tf, tokens.length));
    }
  });
  const tokens = [...building.keys()];
  const postingOffsets = new Int32Array(tokens.length + 1);
  let total = 0;
  tokens.forEach((token, i) => {
    postingOffsets[i] = total;
    total += building.get(token)?.rows.length ?? 0;
  });
  postingOffsets[tokens.length] = total;
  const postingRows = new Int32Array(total);
  const postingWeights = new Float32Array(total);
  tokens.forEach((token, i) => {
    const list = building.get(token);
    if (!list) return;
    postingRows.set(list.rows, postingOffsets[i]);
    postingWeights.set(list.weights, postingOffsets[i]);
  });
  return { rowids: Int32Array.from(rows, (r) => r.rowid), documentOf, documentIds, tokens, postingOffsets, postingRows, postingWeights, vectors: undefined, hasVector: undefined };
}

/** Keeps the k highest-scoring items offered; ties keep the earlier one. */
export class TopK {
  readonly items: Scored[] = [];
  private floor = -Infinity;

  constructor(private readonly k: number) {}

  offer(rowid: number, score: number): void {
    if (this.items.length === this.k && score <= this.floor) return;
    let index = this.items.length;
    while (index > 0 && this.items[index - 1].score < score) index--;
    this.items.splice(index, 0, { rowid, score });
    if (this.items.length > this.k) this.items.pop();
    if (this.items.length === this.k) this.floor = this.items[this.k - 1].score;
  }
}
