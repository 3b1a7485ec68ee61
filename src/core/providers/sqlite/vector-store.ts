import type { RetokenizedPassage, StoredPassage, VectorStore } from '../../ports.js';
import { toPassage, type PassageRow } from '../search/passage-row.js';
import type { SearchHit, SearchQuery, StoredChunk } from '../../types.js';
import { ChannelIndex } from '../search/channel-index.js';
import { evictLeastRecent } from '../search/evict.js';
import { DEFAULT_CACHE_BYTES, SNAPSHOT_MIN_ROWS, type InMemoryStoreOptions } from '../search/store-options.js';
import { fromFloats, toFloats } from '../search/floats.js';
import { sameIndexing, type SnapshotMeta } from '../search/index-snapshot.js';
import type { IndexRow } from '../search/memory-index.js';
import { reciprocalRankFusion } from '../../knowledge/rrf.js';
import type { SqliteDatabase } from './database.js';

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

export type SqliteStoreOptions = InMemoryStoreOptions;

/**
 * The embedded store. Passages, their tokens and vectors live in one SQLite file; searches run
 * on a per-channel in-memory index built from them on first use (BM25 over the channel's own
 * statistics, and exact cosine similarity with a WebAssembly SIMD kernel), fused by reciprocal
 * rank. New passages join a cached index as a segment; rewrites and due compactions drop it.
 * A channel's index is built in steps of `buildBatch` passages with the event loop free in
 * between, so the first search of a large channel never stalls the bot's other work.
 */
export class SqliteStore implements VectorStore {
  readonly key = 'sqlite';
  readonly description: string;
  private readonly indexes = new Map<string, ChannelIndex>();
  /** Builds in progress, shared by the searches that wait for them. */
  private readonly building = new Map<string, Promise<ChannelIndex>>();
  private readonly cacheBytes: number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly embedding: { readonly model: string; readonly dimensions: number } | undefined,
    private readonly options: SqliteStoreOptions,
    location: string,
  ) {
    this.description = `SQLite at ${location}`;
    this.cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
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
          vector: vector && this.embedding ? fromFloats(vector) : null,
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
      if (rewritten) this.bump(tenant);
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
    const index = await this.indexFor(query.tenant);
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
    this.bump(tenant);
    const index = this.indexes.get(tenant);
    index?.removeDocument(documentId);
    if (index?.needsRebuild) this.indexes.delete(tenant);
  }

  async countChunks(tenant: string, documentId: string): Promise<number> {
    const row = this.db.prepare(`SELECT count(*) AS n FROM chunks WHERE tenant = ? AND document_id = ?`).get(tenant, documentId) as { n: number };
    return row.n;
  }

  async bestSimilarity(query: SearchQuery): Promise<number | undefined> {
    if (!query.vector || query.documentIds.length === 0) return undefined;
    const index = await this.indexFor(query.tenant);
    return index.bestSimilarity(query.vector, new Set(query.documentIds));
  }

  async passages(tenant: string, documentId: string, limit = -1): Promise<StoredPassage[]> {
    const rows = this.db.prepare(`SELECT ordinal, page, heading, text FROM chunks WHERE tenant = ? AND document_id = ? ORDER BY ordinal LIMIT ?`).all(tenant, documentId, limit) as PassageRow[];
    return rows.map(toPassage);
  }

  async passageTokens(tenant: string, documentId: string): Promise<string[][]> {
    const rows = this.db.prepare(`SELECT tokens FROM chunks WHERE tenant = ? AND document_id = ?`).all(tenant, documentId) as { tokens: string }[];
    return rows.map((row) => (row.tokens.length === 0 ? [] : row.tokens.split(' ')));
  }

  async retokenize(tenant: string, documentId: string, passages: readonly RetokenizedPassage[]): Promise<void> {
    if (passages.length === 0) return;
    const rows = this.db.prepare(`SELECT rowid, ordinal FROM chunks WHERE tenant = ? AND document_id = ?`).all(tenant, documentId) as { rowid: number; ordinal: number }[];
    const rowidOf = new Map(rows.map((row) => [row.ordinal, row.rowid]));
    const update = this.db.prepare(`UPDATE chunks SET tokens = ? WHERE rowid = ?`);
    this.db.transaction(() => {
      for (const passage of passages) {
        const rowid = rowidOf.get(passage.ordinal);
        if (rowid !== undefined) update.run(passage.tokens, rowid);
      }
      // Indexes and snapshots hold the old tokens: the channel's next search builds from the file.
      this.bump(tenant);
    })();
    this.indexes.delete(tenant);
  }

  async close(): Promise<void> {
    await this.options.snapshots?.flush();
    this.indexes.clear();
  }

  /** Moves the channel's epoch on (kept in the file): a build begun before, or a snapshot taken before, is not used. */
  private bump(tenant: string): void {
    this.db.prepare(`INSERT INTO passage_epochs (tenant, epoch) VALUES (?, 1) ON CONFLICT (tenant) DO UPDATE SET epoch = epoch + 1`).run(tenant);
  }

  private epochOf(tenant: string): number {
    return (this.db.prepare(`SELECT epoch FROM passage_epochs WHERE tenant = ?`).get(tenant) as { epoch: number } | undefined)?.epoch ?? 0;
  }

  /** Whether a snapshot holds exactly the channel's passages up to its last row, of this epoch and embedding. */
  private async matches(meta: SnapshotMeta, epoch: number): Promise<boolean> {
    if (!sameIndexing(meta, epoch, this.embedding)) return false;
    const row = this.db
      .prepare(`SELECT count(*) AS n, (SELECT document_id FROM chunks WHERE rowid = ? AND tenant = ?) AS last FROM chunks WHERE tenant = ? AND rowid <= ?`)
      .get(meta.through, meta.tenant, meta.tenant, meta.through) as { n: number; last: string | null };
    return row.n === meta.rows && row.last === meta.lastDocument;
  }

  private async indexFor(tenant: string): Promise<ChannelIndex> {
    const cached = this.indexes.get(tenant);
    if (cached) {
      // Move to the most recently used end.
      this.indexes.delete(tenant);
      this.indexes.set(tenant, cached);
      return cached;
    }
    const pending = this.building.get(tenant);
    if (pending) return pending;
    const build = this.build(tenant).finally(() => this.building.delete(tenant));
    this.building.set(tenant, build);
    return build;
  }

  /**
   * Reads the channel's passages in rowid order, a batch at a time, yielding between batches.
   * Passages added meanwhile have higher rowids and are read by a later batch; if passages are
   * rewritten or deleted meanwhile, the index still answers this search (hidden documents are
   * filtered out) but is not kept.
   */
  private async build(tenant: string): Promise<ChannelIndex> {
    const epoch = this.epochOf(tenant);
    const restored = await this.options.snapshots?.load(tenant, (meta) => this.matches(meta, epoch));
    const index = restored?.index ?? new ChannelIndex(this.embedding?.dimensions);
    const read = await this.readRows(tenant, index, restored?.meta.through ?? 0);
    const minRows = this.options.snapshotMinRows ?? SNAPSHOT_MIN_ROWS;
    const rows = (restored?.meta.rows ?? 0) + read.rows;
    // Saved after a build from the file, or when many passages came after the saved one.
    if (this.options.snapshots && read.last && rows >= minRows && (!restored || read.rows >= minRows)) {
      const { model, dimensions } = this.embedding ?? { model: null, dimensions: null };
      this.options.snapshots.save({ tenant, epoch, through: read.last.rowid, rows, lastDocument: read.last.documentId, model, dimensions }, index);
    }
    if (this.epochOf(tenant) === epoch) {
      this.indexes.set(tenant, index);
      this.evict();
    }
    return index;
  }

  /** Adds the channel's passages after `after` to `index`, a batch at a time, yielding between batches. */
  private async readRows(tenant: string, index: ChannelIndex, after: number): Promise<{ rows: number; last: { rowid: number; documentId: string } | undefined }> {
    const batch = this.options.buildBatch ?? 2_500;
    const model = this.embedding?.model ?? null;
    const page = this.db.prepare(
      `SELECT rowid, document_id, tokens, CASE WHEN embed_model = ? THEN vector END AS vector FROM chunks WHERE tenant = ? AND rowid > ? ORDER BY rowid LIMIT ?`,
    );
    let count = 0;
    let last: { rowid: number; documentId: string } | undefined;
    for (let from = after; ; ) {
      const rows = page.all(model, tenant, from, batch) as { rowid: number; document_id: string; tokens: string; vector: Buffer | null }[];
      index.add(
        rows.map((row): IndexRow => ({ rowid: row.rowid, documentId: row.document_id, tokens: row.tokens, vector: row.vector ? toFloats(row.vector) : undefined })),
        'build',
      );
      count += rows.length;
      const final = rows[rows.length - 1];
      if (final) last = { rowid: final.rowid, documentId: final.document_id };
      if (rows.length < batch) break;
      from = final?.rowid ?? from;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { rows: count, last };
  }

  private evict(): void {
    evictLeastRecent(this.indexes, (index) => index.bytes, this.cacheBytes);
  }
}
