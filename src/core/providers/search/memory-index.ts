import { bm25Weight } from '../../knowledge/lexical.js';
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
 * A fixed set of passages held in memory for search: BM25 postings built from their tokens and a
 * contiguous matrix of unit vectors for exact cosine similarity. Immutable once built; a channel's
 * index is a list of these (see ChannelIndex).
 */
export class MemoryIndex {
  readonly size: number;
  readonly bytes: number;
  readonly rowsPerDocument = new Map<string, number>();
  private readonly rowids: Int32Array;
  private readonly documentOf: Uint32Array;
  private readonly documentIds: string[] = [];
  private readonly postings = new Map<string, Postings>();
  private readonly dense: { kernel: DotKernel; hasVector: Uint8Array } | undefined;
  private readonly scores: Float32Array;
  private readonly seen: Uint8Array;

  constructor(rows: readonly IndexRow[], dimensions: number | undefined) {
    this.size = rows.length;
    this.rowids = Int32Array.from(rows, (r) => r.rowid);
    const documentIndex = new Map<string, number>();
    this.documentOf = Uint32Array.from(rows, (r) => {
      this.rowsPerDocument.set(r.documentId, (this.rowsPerDocument.get(r.documentId) ?? 0) + 1);
      let index = documentIndex.get(r.documentId);
      if (index === undefined) {
        index = this.documentIds.length;
        documentIndex.set(r.documentId, index);
        this.documentIds.push(r.documentId);
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
    let postingBytes = 0;
    for (const [token, list] of building) {
      this.postings.set(token, { rows: Int32Array.from(list.rows), weights: Float32Array.from(list.weights) });
      postingBytes += list.rows.length * 8 + token.length * 2 + 64;
    }

    if (dimensions !== undefined && rows.some((r) => r.vector?.length === dimensions)) {
      const kernel = createDotKernel(rows.length, dimensions);
      const hasVector = new Uint8Array(rows.length);
      rows.forEach((row, i) => {
        if (row.vector?.length === dimensions) {
          kernel.setRow(i, row.vector);
          hasVector[i] = 1;
        }
      });
      this.dense = { kernel, hasVector };
    }
    this.scores = new Float32Array(rows.length);
    this.seen = new Uint8Array(rows.length);
    this.bytes = postingBytes + rows.length * 16 + (this.dense ? rows.length * (dimensions ?? 0) * 4 : 0);
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
