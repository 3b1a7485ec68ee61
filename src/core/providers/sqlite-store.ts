import type { VectorStore } from '../ports.js';
import type { SearchHit, SearchQuery, StoredChunk } from '../types.js';
import { ChannelIndex } from '../knowledge/channel-index.js';
import type { IndexRow } from '../knowledge/memory-index.js';
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
  ocr: number;
}

export interface SqliteStoreOptions {
  /** Cosine similarity below which a dense match is not relevant. */
  readonly minSimilarity: number;
  /** Memory allowed for cached channel indexes; the least recently used are dropped beyond it. */
  readonly cacheBytes?: number;
}

/**
 * The embedded store. Passages, their tokens and vectors live in one SQLite file; searches run
 * on a per-channel in-memory index built from them on first use (BM25 over the channel's own
 * statistics, and exact cosine similarity with a WebAssembly SIMD kernel), fused by reciprocal
 * rank. Every write to a channel drops its index, so searches never see stale data.
 */
export class SqliteStore implements VectorStore {
  readonly key = 'sqlite';
  readonly description: string;
  private readonly indexes = new Map<string, ChannelIndex>();
  private readonly cacheBytes: number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly embedding: { readonly model: string; readonly dimensions: number } | undefined,
    private readonly options: SqliteStoreOptions,
    location: string,
  ) {
    this.description = `SQLite at ${location}`;
    this.cacheBytes = options.cacheBytes ?? 1024 ** 3;
  }

  async init(): Promise<void> {}

  async upsert(chunks: readonly StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const insert = this.db.prepare(
      `INSERT INTO chunks (id, tenant, document_id, file, ordinal, page, heading, text, tokens, embed_model, vector, ocr)
       VALUES (@id, @tenant, @documentId, @file, @ordinal, @page, @heading, @text, @tokens, @model, @vector, @ocr)
       ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, document_id = excluded.document_id, file = excluded.file,
         ordinal = excluded.ordinal, page = excluded.page, heading = excluded.heading, text = excluded.text,
         tokens = excluded.tokens, embed_model = excluded.embed_model, vector = excluded.vector, ocr = excluded.ocr`,
    );
    const existing = this.db.prepare(`SELECT count(*) AS n FROM chunks WHERE id IN (SELECT value FROM json_each(?))`);
    let rewritten = 0;
    this.db.transaction(() => {
      rewritten = (existing.get(JSON.stringify(chunks.map((c) => c.id))) as { n: number }).n;
      for (const chunk of chunks) {
        const vector = chunk.vector;
        insert.run({
          id: chunk.id,
          tenant: chunk.tenant,
          documentId: chunk.documentId,
          file: chunk.file,
          ordinal: chunk.ordinal,
          page: chunk.page,
          heading: chunk.heading ?? null,
          text: chunk.text,
          tokens: chunk.tokens,
          ocr: chunk.ocr ? 1 : 0,
          model: vector && this.embedding ? this.embedding.model : null,
          vector: vector && this.embedding ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength) : null,
        });
      }
    })();
    this.updateIndexes(chunks, rewritten > 0);
  }

  /**
   * New passages join a cached channel index as a new segment. Rewritten passages (same ids)
   * would be counted twice, so they drop the channel's index instead, as does a due compaction.
   */
  private updateIndexes(chunks: readonly StoredChunk[], rewritten: boolean): void {
    const byTenant = new Map<string, StoredChunk[]>();
    for (const chunk of chunks) byTenant.set(chunk.tenant, [...(byTenant.get(chunk.tenant) ?? []), chunk]);
    for (const [tenant, tenantChunks] of byTenant) {
      const index = this.indexes.get(tenant);
      if (!index) continue;
      if (rewritten) {
        this.indexes.delete(tenant);
        continue;
      }
      const ids = tenantChunks.map((c) => c.id);
      const rowids = this.db
        .prepare(`SELECT id, rowid FROM chunks WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as { id: string; rowid: number }[];
      const rowidOf = new Map(rowids.map((r) => [r.id, r.rowid]));
      index.add(
        tenantChunks.map((chunk) => ({
          rowid: rowidOf.get(chunk.id) ?? -1,
          documentId: chunk.documentId,
          tokens: chunk.tokens,
          vector: this.embedding && chunk.vector?.length === this.embedding.dimensions ? chunk.vector : undefined,
        })),
      );
      if (index.needsRebuild) this.indexes.delete(tenant);
    }
    this.evict();
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.documentIds.length === 0) return [];
    const visible = new Set(query.documentIds);
    const depth = Math.max(query.limit * 4, 20);
    const index = this.indexFor(query.tenant);
    const tokens = query.tokens.split(' ').filter((t) => t.length > 0);
    const lexical = index.lexical(tokens, visible, depth);
    const dense = query.vector ? index.nearest(query.vector, visible, depth, this.options.minSimilarity) : [];
    const top = [...reciprocalRankFusion([lexical.map(String), dense.map(String)])].slice(0, query.limit);
    if (top.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT rowid, id, document_id, file, page, heading, text, ocr FROM chunks
         WHERE rowid IN (SELECT value FROM json_each(?)) AND tenant = ?`,
      )
      .all(JSON.stringify(top.map(([rowid]) => Number(rowid))), query.tenant) as ChunkRow[];
    const byRowid = new Map(rows.map((row) => [String(row.rowid), row]));
    return top.flatMap(([rowid, score]) => {
      const row = byRowid.get(rowid);
      if (row === undefined || !visible.has(row.document_id)) return [];
      return [{ chunkId: row.id, documentId: row.document_id, file: row.file, page: row.page, heading: row.heading ?? undefined, text: row.text, score, ...(row.ocr ? { ocr: true } : {}) }];
    });
  }

  async deleteDocument(tenant: string, documentId: string): Promise<void> {
    this.db.prepare(`DELETE FROM chunks WHERE tenant = ? AND document_id = ?`).run(tenant, documentId);
    const index = this.indexes.get(tenant);
    index?.removeDocument(documentId);
    if (index?.needsRebuild) this.indexes.delete(tenant);
  }

  async countChunks(tenant: string, documentId: string): Promise<number> {
    const row = this.db.prepare(`SELECT count(*) AS n FROM chunks WHERE tenant = ? AND document_id = ?`).get(tenant, documentId) as { n: number };
    return row.n;
  }

  async close(): Promise<void> {
    this.indexes.clear();
  }

  private indexFor(tenant: string): ChannelIndex {
    const cached = this.indexes.get(tenant);
    if (cached) {
      // Move to the most recently used end.
      this.indexes.delete(tenant);
      this.indexes.set(tenant, cached);
      return cached;
    }
    const model = this.embedding?.model ?? null;
    const rows = this.db
      .prepare(`SELECT rowid, document_id, tokens, CASE WHEN embed_model = ? THEN vector END AS vector FROM chunks WHERE tenant = ? ORDER BY rowid`)
      .all(model, tenant) as { rowid: number; document_id: string; tokens: string; vector: Buffer | null }[];
    const indexRows: IndexRow[] = rows.map((row) => ({
      rowid: row.rowid,
      documentId: row.document_id,
      tokens: row.tokens,
      vector: row.vector ? toFloats(row.vector) : undefined,
    }));
    const index = new ChannelIndex(this.embedding?.dimensions, indexRows);
    this.indexes.set(tenant, index);
    this.evict();
    return index;
  }

  private evict(): void {
    let total = [...this.indexes.values()].reduce((sum, index) => sum + index.bytes, 0);
    for (const [tenant, index] of this.indexes) {
      if (total <= this.cacheBytes || this.indexes.size <= 1) break;
      this.indexes.delete(tenant);
      total -= index.bytes;
    }
  }
}

/** Copies a (possibly pooled, unaligned) Buffer out before viewing it as floats. */
function toFloats(buffer: Buffer): Float32Array {
  return new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
}
