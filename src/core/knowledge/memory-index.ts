import { bm25Weight } from './lexical.js';
import { createDotKernel, type DotKernel } from './dot-kernel.js';

export interface IndexRow {
  readonly rowid: number;
  readonly documentId: string;
  readonly tokens: string;
  readonly vector: Float32Array | undefined;
}

interface Postings {
  readonly rows: Int32Array;
  readonly weights: Float32Array;
}

/**
 * One channel's passages held in memory for search: BM25 postings built from the stored tokens
 * (IDF from this channel's own statistics) and a contiguous matrix of unit vectors for exact
 * cosine similarity. Built once per channel from the database and dropped whenever that channel
 * changes, so it never serves stale data.
 */
export class MemoryIndex {
  readonly size: number;
  readonly bytes: number;
  private readonly rowids: Int32Array;
  private readonly documentOf: Uint32Array;
  private readonly documentIds: string[];
  private readonly postings = new Map<string, Postings>();
  private readonly dense: { kernel: DotKernel; hasVector: Uint8Array } | undefined;
  private readonly scores: Float32Array;

  constructor(rows: readonly IndexRow[], dimensions: number | undefined) {
    this.size = rows.length;
    this.rowids = Int32Array.from(rows, (r) => r.rowid);
    const documentIndex = new Map<string, number>();
    this.documentIds = [];
    this.documentOf = Uint32Array.from(rows, (r) => {
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
    this.bytes = postingBytes + rows.length * 16 + (this.dense ? rows.length * (dimensions ?? 0) * 4 : 0);
  }

  /** Rowids of the best BM25 matches among visible documents, best first. */
  lexical(tokens: readonly string[], visible: ReadonlySet<string>, depth: number): number[] {
    const allowed = this.visibility(visible);
    const scores = this.scores;
    const touched: number[] = [];
    const n = this.size;
    for (const token of new Set(tokens)) {
      const list = this.postings.get(token);
      if (!list) continue;
      const df = list.rows.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const { rows, weights } = list;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k];
        if (scores[row] === 0) touched.push(row);
        scores[row] += idf * weights[k];
      }
    }
    const best = new TopK(depth);
    for (const row of touched) {
      if (allowed[this.documentOf[row]]) best.offer(row, scores[row]);
      scores[row] = 0;
    }
    return best.rows().map((row) => this.rowids[row]);
  }

  /** Rowids of the most similar vectors (cosine of unit vectors) at or above `minSimilarity`, best first. */
  nearest(vector: Float32Array, visible: ReadonlySet<string>, depth: number, minSimilarity: number): number[] {
    if (!this.dense || vector.length !== this.dense.kernel.dimensions) return [];
    const allowed = this.visibility(visible);
    const similarities = this.dense.kernel.dots(vector);
    const best = new TopK(depth);
    const { hasVector } = this.dense;
    for (let row = 0; row < this.size; row++) {
      const s = similarities[row];
      if (s >= minSimilarity && hasVector[row] && allowed[this.documentOf[row]]) best.offer(row, s);
    }
    return best.rows().map((row) => this.rowids[row]);
  }

  private visibility(visible: ReadonlySet<string>): Uint8Array {
    return Uint8Array.from(this.documentIds, (id) => (visible.has(id) ? 1 : 0));
  }
}


/** Keeps the k highest-scoring rows seen; ties keep the earlier row. */
class TopK {
  private readonly items: { row: number; score: number }[] = [];
  private floor = -Infinity;

  constructor(private readonly k: number) {}

  offer(row: number, score: number): void {
    if (this.items.length === this.k && score <= this.floor) return;
    let index = this.items.length;
    while (index > 0 && this.items[index - 1].score < score) index--;
    this.items.splice(index, 0, { row, score });
    if (this.items.length > this.k) this.items.pop();
    if (this.items.length === this.k) this.floor = this.items[this.k - 1].score;
  }

  rows(): number[] {
    return this.items.map((i) => i.row);
  }
}
