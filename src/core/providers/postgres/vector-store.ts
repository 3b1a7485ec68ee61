import { reciprocalRankFusion } from '../../knowledge/rrf.js';
import type { RetokenizedPassage, StoredPassage, VectorStore } from '../../ports.js';
import { toPassage, type PassageRow as ReadingOrderRow } from '../search/passage-row.js';
import type { SearchHit, SearchQuery, StoredChunk } from '../../types.js';
import { ChannelIndex } from '../search/channel-index.js';
import { evictLeastRecent } from '../search/evict.js';
import { DEFAULT_CACHE_BYTES, SNAPSHOT_MIN_ROWS, type InMemoryStoreOptions } from '../search/store-options.js';
import { fromFloats, toFloats } from '../search/floats.js';
import { sameIndexing, type SnapshotMeta } from '../search/index-snapshot.js';
import type { IndexRow } from '../search/memory-index.js';
import { transaction, type PgClient, type PgPool } from './database.js';

interface PassageRow {
  seq: string;
  id: string;
  document_id: string;
  file: string;
  page: number;
  heading: string | null;
  text: string;
  ocr: boolean;
}

interface RowsRead {
  readonly rows: number;
  readonly last: { readonly seq: number; readonly documentId: string } | undefined;
}

/** A channel's index as this replica holds it, and how far into the table it has read. */
interface Cached {
  readonly index: ChannelIndex;
  readonly epoch: number;
  seq: number;
  /** Set while the index just came from a snapshot (rows: what it held). */
  readonly restored?: { readonly rows: number };
}

export type PostgresStoreOptions = InMemoryStoreOptions;

const COLUMNS = ['id', 'tenant', 'document_id', 'file', 'ordinal', 'page', 'heading', 'text', 'tokens', 'embed_model', 'vector', 'ocr'] as const;
/** Rows per INSERT statement (each row binds one parameter per column). */
const ROWS_PER_INSERT = 500;

/**
 * Passages in PostgreSQL, searched in memory: each replica keeps a per-channel index (BM25 and
 * exact cosine similarity, as the embedded store) and, before every search, checks in one cheap
 * query whether the channel changed. New passages are read past the last seq it holds and join
 * the index as a segment; a rewrite or deletion (the channel's epoch moved) rebuilds it. So a
 * document indexed on one replica answers on every other at once, and a forgotten one never
 * again (searches are also filtered by the registry's visible documents).
 */
export class PostgresStore implements VectorStore {
  readonly key = 'postgres';
  readonly description: string;
  private readonly cached = new Map<string, Cached>();
  /** One refresh per channel at a time: two searches must not add the same passages twice. */
  private readonly refreshing = new Map<string, Promise<Cached | undefined>>();
  private readonly cacheBytes: number;

  constructor(
    private readonly pool: PgPool,
    private readonly embedding: { readonly model: string; readonly dimensions: number } | undefined,
    private readonly options: PostgresStoreOptions,
    location: string,
  ) {
    this.description = `PostgreSQL at ${location}`;
    this.cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  }

  async init(): Promise<void> {}

  async upsert(chunks: readonly StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const tenants = [...new Set(chunks.map((c) => c.tenant))].sort();
    await transaction(this.pool, async (client) => {
      // Writers of one channel take turns, so its seqs become visible in order (see the class comment).
      for (const tenant of tenants) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`passages:${tenant}`]);
      const existing = await client.query<{ tenant: string }>(`SELECT DISTINCT tenant FROM passages WHERE id = ANY($1::text[])`, [chunks.map((c) => c.id)]);
      for (let i = 0; i < chunks.length; i += ROWS_PER_INSERT) await this.insert(client, chunks.slice(i, i + ROWS_PER_INSERT));
      // Rewritten passages (same ids) would be counted twice by a segment: their channels rebuild.
      for (const { tenant } of existing.rows) await bumpEpoch(client, tenant);
    });
  }

  private async insert(client: PgClient, chunks: readonly StoredChunk[]): Promise<void> {
    const values: unknown[] = [];
    const rows = chunks.map((chunk, i) => {
      const vector = chunk.vector && this.embedding ? fromFloats(chunk.vector) : null;
      values.push(chunk.id, chunk.tenant, chunk.documentId, chunk.file, chunk.ordinal, chunk.page, chunk.heading ?? null, chunk.text, chunk.tokens, vector ? this.embedding?.model : null, vector, chunk.ocr === true);
      return `(${COLUMNS.map((_, c) => `$${i * COLUMNS.length + c + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO passages (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
       ON CONFLICT (id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
      values,
    );
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    if (query.documentIds.length === 0) return [];
    const visible = new Set(query.documentIds);
    const depth = Math.max(query.limit * 4, 20);
    const { index } = await this.current(query.tenant);
    const tokens = query.tokens.split(' ').filter((t) => t.length > 0);
    const lexical = index.lexical(tokens, visible, depth);
    const dense = query.vector ? index.nearest(query.vector, visible, depth, this.options.minSimilarity) : [];
    const top = [...reciprocalRankFusion([lexical.map(String), dense.map(String)])].slice(0, query.limit);
    if (top.length === 0) return [];
    const { rows } = await this.pool.query<PassageRow>(`SELECT seq, id, document_id, file, page, heading, text, ocr FROM passages WHERE seq = ANY($1::bigint[]) AND tenant = $2`, [
      top.map(([seq]) => seq),
      query.tenant,
    ]);
    const bySeq = new Map(rows.map((row) => [String(row.seq), row]));
    return top.flatMap(([seq, score]) => {
      const row = bySeq.get(seq);
      if (row === undefined || !visible.has(row.document_id)) return [];
      return [{ chunkId: row.id, documentId: row.document_id, file: row.file, page: row.page, heading: row.heading ?? undefined, text: row.text, score, ...(row.ocr ? { ocr: true } : {}) }];
    });
  }

  async deleteDocument(tenant: string, documentId: string): Promise<void> {
    const epoch = await transaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`passages:${tenant}`]);
      await client.query(`DELETE FROM passages WHERE tenant = $1 AND document_id = $2`, [tenant, documentId]);
      return bumpEpoch(client, tenant);
    });
    // This replica's own index follows the deletion at once, without a rebuild.
    const cached = this.cached.get(tenant);
    if (!cached) return;
    cached.index.removeDocument(documentId);
    if (cached.index.needsRebuild || cached.epoch !== epoch - 1) this.cached.delete(tenant);
    else this.cached.set(tenant, { ...cached, epoch });
  }

  async countChunks(tenant: string, documentId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM passages WHERE tenant = $1 AND document_id = $2`, [tenant, documentId]);
    return Number(rows[0]?.n ?? 0);
  }

  async bestSimilarity(query: SearchQuery): Promise<number | undefined> {
    if (!query.vector || query.documentIds.length === 0) return undefined;
    const { index } = await this.current(query.tenant);
    return index.bestSimilarity(query.vector, new Set(query.documentIds));
  }

  async passages(tenant: string, documentId: string, limit?: number): Promise<StoredPassage[]> {
    const { rows } = await this.pool.query<ReadingOrderRow>(`SELECT ordinal, page, heading, text FROM passages WHERE tenant = $1 AND document_id = $2 ORDER BY ordinal LIMIT $3`, [tenant, documentId, limit ?? null]);
    return rows.map(toPassage);
  }

  async passageTokens(tenant: string, documentId: string): Promise<string[][]> {
    const { rows } = await this.pool.query<{ tokens: string }>(`SELECT tokens FROM passages WHERE tenant = $1 AND document_id = $2`, [tenant, documentId]);
    return rows.map((row) => (row.tokens.length === 0 ? [] : row.tokens.split(' ')));
  }

  async retokenize(tenant: string, documentId: string, passages: readonly RetokenizedPassage[]): Promise<void> {
    if (passages.length === 0) return;
    await transaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`passages:${tenant}`]);
      await client.query(
        `UPDATE passages p SET tokens = u.tokens FROM unnest($3::int[], $4::text[]) AS u(ordinal, tokens)
         WHERE p.tenant = $1 AND p.document_id = $2 AND p.ordinal = u.ordinal`,
        [tenant, documentId, passages.map((p) => p.ordinal), passages.map((p) => p.tokens)],
      );
      // Every replica's index (and saved snapshot) holds the old tokens: the new epoch rebuilds them.
      await bumpEpoch(client, tenant);
    });
    this.cached.delete(tenant);
  }

  async close(): Promise<void> {
    await this.options.snapshots?.flush();
    this.cached.clear();
  }

  /** The channel's index, brought up to date with what any replica committed. */
  private async current(tenant: string): Promise<Cached> {
    const previous = this.refreshing.get(tenant) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.refresh(tenant));
    this.refreshing.set(tenant, next);
    void next
      .finally(() => {
        if (this.refreshing.get(tenant) === next) this.refreshing.delete(tenant);
      })
      .catch(() => undefined);
    return next;
  }

  private async refresh(tenant: string): Promise<Cached> {
    const { rows } = await this.pool.query<{ epoch: string; seq: string }>(
      `SELECT coalesce((SELECT epoch FROM passage_epochs WHERE tenant = $1), 0) AS epoch, coalesce((SELECT max(seq) FROM passages WHERE tenant = $1), 0) AS seq`,
      [tenant],
    );
    const epoch = Number(rows[0]?.epoch ?? 0);
    const latest = Number(rows[0]?.seq ?? 0);
    let cached = this.cached.get(tenant);
    if (cached && cached.epoch !== epoch) cached = undefined;
    cached ??= await this.restore(tenant, epoch);
    if (latest > cached.seq) {
      const from = cached.seq;
      const read = await this.read(tenant, cached, latest, cached.seq === 0 || cached.restored ? 'build' : 'write');
      if (cached.index.needsRebuild) {
        cached = { index: new ChannelIndex(this.embedding?.dimensions), epoch, seq: 0 };
        this.save(tenant, cached, await this.read(tenant, cached, latest, 'build'), 0);
      } else if (from === 0 || cached.restored) {
        this.save(tenant, cached, read, cached.restored?.rows ?? 0);
      }
    }
    if (cached.restored) cached = { index: cached.index, epoch: cached.epoch, seq: cached.seq };
    // Most recently used last, for eviction.
    this.cached.delete(tenant);
    this.cached.set(tenant, cached);
    this.evict();
    return cached;
  }

  /** Adds the channel's passages after `cached.seq` up to `until`, a batch at a time. */
  private async read(tenant: string, cached: Cached, until: number, kind: 'build' | 'write'): Promise<RowsRead> {
    const batch = this.options.buildBatch ?? 2_500;
    const model = this.embedding?.model ?? null;
    const read: { rows: number; last: RowsRead['last'] } = { rows: 0, last: undefined };
    for (;;) {
      const { rows } = await this.pool.query<{ seq: string; document_id: string; tokens: string; vector: Buffer | null }>(
        `SELECT seq, document_id, tokens, CASE WHEN embed_model = $1 THEN vector END AS vector FROM passages
         WHERE tenant = $2 AND seq > $3 AND seq <= $4 ORDER BY seq LIMIT $5`,
        [model, tenant, cached.seq, until, batch],
      );
      cached.index.add(
        rows.map((row): IndexRow => ({ rowid: Number(row.seq), documentId: row.document_id, tokens: row.tokens, vector: row.vector ? toFloats(row.vector) : undefined })),
        kind,
      );
      const final = rows[rows.length - 1];
      if (final) {
        cached.seq = Number(final.seq);
        read.last = { seq: cached.seq, documentId: final.document_id };
      }
      read.rows += rows.length;
      if (rows.length < batch) break;
    }
    cached.seq = Math.max(cached.seq, until);
    return read;
  }

  /** The channel's saved index when it holds exactly the passages up to its last row, of this epoch and embedding. */
  private async restore(tenant: string, epoch: number): Promise<Cached> {
    const matches = async (meta: SnapshotMeta) => {
      if (!sameIndexing(meta, epoch, this.embedding)) return false;
      const { rows } = await this.pool.query<{ n: string; last: string | null }>(
        `SELECT count(*) AS n, (SELECT document_id FROM passages WHERE seq = $1 AND tenant = $2) AS last FROM passages WHERE tenant = $2 AND seq <= $1`,
        [meta.through, tenant],
      );
      return Number(rows[0]?.n) === meta.rows && rows[0]?.last === meta.lastDocument;
    };
    const restored = await this.options.snapshots?.load(tenant, matches);
    if (!restored) return { index: new ChannelIndex(this.embedding?.dimensions), epoch, seq: 0 };
    return { index: restored.index, epoch, seq: restored.meta.through, restored: { rows: restored.meta.rows } };
  }

  /** Saves a snapshot after a build from the table, or when many passages came after the saved one. */
  private save(tenant: string, cached: Cached, read: RowsRead, before: number): void {
    const minRows = this.options.snapshotMinRows ?? SNAPSHOT_MIN_ROWS;
    const rows = before + read.rows;
    if (!this.options.snapshots || !read.last || rows < minRows || (before > 0 && read.rows < minRows)) return;
    const { model, dimensions } = this.embedding ?? { model: null, dimensions: null };
    this.options.snapshots.save({ tenant, epoch: cached.epoch, through: read.last.seq, rows, lastDocument: read.last.documentId, model, dimensions }, cached.index);
  }

  private evict(): void {
    evictLeastRecent(this.cached, (c) => c.index.bytes, this.cacheBytes);
  }
}

/** Moves the channel's epoch on (its passages were rewritten or deleted); returns the new epoch. */
async function bumpEpoch(client: PgClient, tenant: string): Promise<number> {
  const { rows } = await client.query<{ epoch: string }>(
    `INSERT INTO passage_epochs (tenant, epoch) VALUES ($1, 1) ON CONFLICT (tenant) DO UPDATE SET epoch = passage_epochs.epoch + 1 RETURNING epoch`,
    [tenant],
  );
  return Number(rows[0]?.epoch ?? 0);
}
