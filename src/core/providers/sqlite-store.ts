import type { VectorStore } from '../ports.js';
import type { SearchHit, SearchQuery, StoredChunk } from '../types.js';
import { reciprocalRankFusion } from '../knowledge/rrf.js';
import type { SqliteDatabase } from './sqlite-database.js';

interface ChunkRow {
  rowid: number;
  id: string;
  document_id: string;
  file: string;
  page: number;
  heading: string | null;
  text: string;
}

/** A tenant's vectors packed into one matrix for exact cosine search (vectors are unit length). */
interface TenantMatrix {
  readonly rowids: number[];
  readonly documentIds: string[];
  readonly matrix: Float32Array;
  readonly dimensions: number;
}

/**
 * The embedded store: chunks and vectors in SQLite, BM25 through FTS5, and exact cosine
 * similarity over the tenant's vectors (held in memory per tenant, dropped on every write
 * to that tenant). Hybrid results are fused with reciprocal rank fusion.
 */
export class SqliteStore implements VectorStore {
  readonly key = 'sqlite';
  readonly description: string;
  private readonly matrices = new Map<string, TenantMatrix>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly embeddingModel: string | undefined,
    private readonly options: { minSimilarity: number },
    location: string,
  ) {
    this.description = `SQLite at ${location}`;
  }

  async init(): Promise<void> {}

  async upsert(chunks: readonly StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const findRow = this.db.prepare(`SELECT rowid FROM chunks WHERE id = ?`);
    const deleteFts = this.db.prepare(`DELETE FROM chunks_fts WHERE rowid = ?`);
    const deleteChunk = this.db.prepare(`DELETE FROM chunks WHERE rowid = ?`);
    const insert = this.db.prepare(
      `INSERT INTO chunks (id, tenant, document_id, file, ordinal, page, heading, text, embed_model, vector)
       VALUES (@id, @tenant, @documentId, @file, @ordinal, @page, @heading, @text, @model, @vector)`,
    );
    const insertFts = this.db.prepare(`INSERT INTO chunks_fts (rowid, tokens) VALUES (?, ?)`);
    this.db.transaction(() => {
      for (const chunk of chunks) {
        const existing = findRow.get(chunk.id) as { rowid: number } | undefined;
        if (existing) {
          deleteFts.run(existing.rowid);
          deleteChunk.run(existing.rowid);
        }
        const vector = chunk.vector;
        const result = insert.run({
          id: chunk.id,
          tenant: chunk.tenant,
          documentId: chunk.documentId,
          file: chunk.file,
          ordinal: chunk.ordinal,
          page: chunk.page,
          heading: chunk.heading ?? null,
          text: chunk.text,
          model: vector ? (this.embeddingModel ?? null) : null,
          vector: vector ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength) : null,
        });
        insertFts.run(result.lastInsertRowid, chunk.tokens);
      }
    })();
    for (const tenant of new Set(chunks.map((c) => c.tenant))) this.matrices.delete(tenant);
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.documentIds.length === 0) return [];
    const visible = new Set(query.documentIds);
    const depth = Math.max(query.limit * 4, 20);
    const lexical = this.lexicalRowids(query, depth);
    const dense = query.vector ? this.denseRowids(query.tenant, query.vector, visible, depth) : [];
    const fused = reciprocalRankFusion([lexical.map(String), dense.map(String)]);
    const top = [...fused].slice(0, query.limit);
    if (top.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT rowid, id, document_id, file, page, heading, text FROM chunks
         WHERE rowid IN (SELECT value FROM json_each(?)) AND tenant = ?`,
      )
      .all(JSON.stringify(top.map(([rowid]) => Number(rowid))), query.tenant) as ChunkRow[];
    const byRowid = new Map(rows.map((row) => [String(row.rowid), row]));
    const hits: SearchHit[] = [];
    for (const [rowid, score] of top) {
      const row = byRowid.get(rowid);
      if (row === undefined || !visible.has(row.document_id)) continue;
      hits.push({
        chunkId: row.id,
        documentId: row.document_id,
        file: row.file,
        page: row.page,
        heading: row.heading ?? undefined,
        text: row.text,
        score,
      });
    }
    return hits;
  }

  async deleteDocument(tenant: string, documentId: string): Promise<void> {
    this.db.transaction(() => {
      const rowids = this.db
        .prepare(`SELECT rowid FROM chunks WHERE tenant = ? AND document_id = ?`)
        .all(tenant, documentId) as { rowid: number }[];
      const deleteFts = this.db.prepare(`DELETE FROM chunks_fts WHERE rowid = ?`);
      for (const { rowid } of rowids) deleteFts.run(rowid);
      this.db.prepare(`DELETE FROM chunks WHERE tenant = ? AND document_id = ?`).run(tenant, documentId);
    })();
    this.matrices.delete(tenant);
  }

  async countChunks(tenant: string, documentId: string): Promise<number> {
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM chunks WHERE tenant = ? AND document_id = ?`)
      .get(tenant, documentId) as { n: number };
    return row.n;
  }

  async close(): Promise<void> {
    this.matrices.clear();
  }

  private lexicalRowids(query: SearchQuery, depth: number): number[] {
    const terms = [...new Set(query.tokens.split(' ').filter((t) => t.length > 0))];
    if (terms.length === 0) return [];
    const match = terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ');
    const rows = this.db
      .prepare(
        `SELECT c.rowid AS rowid FROM chunks_fts f JOIN chunks c ON c.rowid = f.rowid
         WHERE chunks_fts MATCH ? AND c.tenant = ? AND c.document_id IN (SELECT value FROM json_each(?))
         ORDER BY bm25(chunks_fts) LIMIT ?`,
      )
      .all(match, query.tenant, JSON.stringify(query.documentIds), depth) as { rowid: number }[];
    return rows.map((r) => r.rowid);
  }

  private denseRowids(tenant: string, vector: Float32Array, visible: Set<string>, depth: number): number[] {
    const tenantMatrix = this.matrixFor(tenant);
    if (tenantMatrix === undefined || tenantMatrix.dimensions !== vector.length) return [];
    const { matrix, dimensions, documentIds, rowids } = tenantMatrix;
    const count = documentIds.length;
    const best: { rowid: number; score: number }[] = [];
    let floor = this.options.minSimilarity;
    for (let i = 0; i < count; i++) {
      let dot = 0;
      const base = i * dimensions;
      for (let d = 0; d < dimensions; d++) dot += matrix[base + d] * vector[d];
      if (dot < floor) continue;
      if (!visible.has(documentIds[i])) continue;
      insertSorted(best, { rowid: rowids[i], score: dot }, depth);
      if (best.length === depth) floor = Math.max(floor, best[best.length - 1].score);
    }
    return best.map((b) => b.rowid);
  }

  private matrixFor(tenant: string): TenantMatrix | undefined {
    const cached = this.matrices.get(tenant);
    if (cached) return cached;
    if (this.embeddingModel === undefined) return undefined;
    const rows = this.db
      .prepare(`SELECT rowid, document_id, vector FROM chunks WHERE tenant = ? AND embed_model = ? AND vector IS NOT NULL`)
      .all(tenant, this.embeddingModel) as { rowid: number; document_id: string; vector: Buffer }[];
    const first = rows[0];
    if (first === undefined) return undefined;
    const dimensions = first.vector.byteLength / 4;
    const usable = rows.filter((r) => r.vector.byteLength === dimensions * 4);
    const matrix = new Float32Array(usable.length * dimensions);
    usable.forEach((row, i) => {
      // Copy out of the (possibly pooled, unaligned) Buffer before viewing it as floats.
      const bytes = row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength);
      matrix.set(new Float32Array(bytes), i * dimensions);
    });
    const built: TenantMatrix = {
      rowids: usable.map((r) => r.rowid),
      documentIds: usable.map((r) => r.document_id),
      matrix,
      dimensions,
    };
    this.matrices.set(tenant, built);
    return built;
  }
}

function insertSorted(list: { rowid: number; score: number }[], item: { rowid: number; score: number }, max: number): void {
  let index = list.length;
  while (index > 0 && list[index - 1].score < item.score) index--;
  if (index >= max) return;
  list.splice(index, 0, item);
  if (list.length > max) list.pop();
}
