import { reciprocalRankFusion } from '../../../lib/rrf.js';
import type { RetokenizedPassage, StoredPassage, VectorStore } from '../../../ports/ports.js';
import type { SearchHit, SearchQuery, StoredChunk } from '../../../ports/types.js';
import type { PgPool } from '../postgres/database.js';
import { ChannelIndex } from '../../search/channel-index.js';
import { evictLeastRecent } from '../../search/evict.js';
import { fromFloats, toFloats } from '../../search/floats.js';
import { sameIndexing, type SnapshotMeta } from '../../search/index-snapshot.js';
import type { IndexRow } from '../../search/memory-index.js';
import { DEFAULT_CACHE_BYTES, SNAPSHOT_MIN_ROWS, type InMemoryStoreOptions } from '../../search/store-options.js';
import type { SqliteDatabase } from '../sqlite/database.js';
import type { PassageFields } from '../passage-fields.js';
import { anyOf, lockFor } from './dialect.js';
import { postgresRunner } from './postgres-runner.js';
import { readBool, readCount, type SqlRunner } from './sql-runner.js';
import { sqliteRunner } from './sqlite-runner.js';
import { inProcessTurns } from './turns.js';

/**
 * Where each database keeps passages, in the order they were committed: SQLite's `chunks` by
 * rowid, PostgreSQL's `passages` by seq (both indexed by channel and that order).
 */
const TABLES = { sqlite: { table: 'chunks', seq: 'rowid' }, postgres: { table: 'passages', seq: 'seq' } } as const;

const COLUMNS = ['id', 'tenant', 'document_id', 'file', 'ordinal', 'page', 'heading', 'text', 'tokens', 'embed_model', 'vector', 'ocr'] as const;

/**
 * Rows per INSERT: PostgreSQL pays a round trip per statement, so it gets many rows (each binds
 * one parameter per column); SQLite runs in process, where one prepared single-row statement is
 * as fast and is prepared once.
 */
const ROWS_PER_INSERT = { sqlite: 1, postgres: 500 } as const;

/** A passage's place in the commit order: a number in SQLite, a bigint's text in PostgreSQL. */
type Seq = number | string;

interface HitRow extends Pick<PassageFields, 'document_id' | 'file' | 'page' | 'heading' | 'text'> {
  seq: Seq;
  id: string;
  ocr: unknown;
}

type ReadingOrderRow = Pick<PassageFields, 'ordinal' | 'page' | 'heading' | 'text'>;

interface RowsRead {
  readonly rows: number;
  readonly last: { readonly seq: number; readonly documentId: string } | undefined;
}

/** A channel's index as this process holds it, and how far into the table it has read. */
interface Cached {
  readonly index: ChannelIndex;
  readonly epoch: number;
  seq: number;
  /** Set while the index just came from a snapshot (rows: what it held). */
  readonly restored?: { readonly rows: number };
}

/**
 * Passages in SQLite or PostgreSQL, searched in memory: a per-channel index (BM25 over the
 * channel's own statistics, and exact cosine similarity with a WebAssembly SIMD kernel, fused by
 * reciprocal rank). Before every search one cheap query asks whether the channel changed: new
 * passages are read past the last seq the index holds and join it as a segment; a rewrite or
 * deletion (the channel's epoch moved) rebuilds it. So with PostgreSQL a document indexed on
 * one replica answers on every other at once, and a forgotten one never again (searches are also
 * filtered by the registry's visible documents). An index is built in steps of `buildBatch`
 * passages with the event loop free in between, so the first search of a large channel never
 * stalls the bot's other work.
 */
export class SqlPassageStore implements VectorStore {
  readonly key: string;
  private readonly cached = new Map<string, Cached>();
  /** One refresh per channel at a time: two searches must not add the same passages twice. */
  private readonly refreshing = inProcessTurns();
  private readonly cacheBytes: number;
  private readonly table: string;
  private readonly seq: string;
  /** The INSERT statement for so many rows, made once. */
  private readonly inserts = new Map<number, string>();

  constructor(
    private readonly db: SqlRunner,
    private readonly embedding: { readonly model: string; readonly dimensions: number } | undefined,
    private readonly options: InMemoryStoreOptions,
    readonly description: string,
  ) {
    this.key = db.dialect;
    this.table = TABLES[db.dialect].table;
    this.seq = TABLES[db.dialect].seq;
    this.cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
  }

  async init(): Promise<void> {}

  async upsert(chunks: readonly StoredChunk[]): Promise<void> {
    if (chunks.length === 0) return;
    const tenants = [...new Set(chunks.map((c) => c.tenant))].sort();
    const perInsert = ROWS_PER_INSERT[this.db.dialect];
    await this.db.transaction(async (tx) => {
      // Writers of one channel take turns, so its seqs become visible in order.
      for (const tenant of tenants) await lockFor(tx, `passages:${tenant}`);
      const ids = anyOf(tx, 'id', chunks.map((c) => c.id));
      const existing = await tx.all<{ tenant: string }>(`SELECT DISTINCT tenant FROM ${this.table} WHERE ${ids.sql}`, ids.params);
      for (let i = 0; i < chunks.length; i += perInsert) {
        const batch = chunks.slice(i, i + perInsert);
        await tx.run(this.insertSql(batch.length), batch.flatMap((chunk) => this.values(chunk)));
      }
      // Rewritten passages (same ids) would be counted twice by a segment: their channels rebuild.
      for (const { tenant } of existing) await this.bumpEpoch(tx, tenant);
    });
  }

  private insertSql(rows: number): string {
    let sql = this.inserts.get(rows);
    if (sql === undefined) {
      const row = `(${COLUMNS.map(() => '?').join(', ')})`;
      sql = `INSERT INTO ${this.table} (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}
        ON CONFLICT (id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
      this.inserts.set(rows, sql);
    }
    return sql;
  }

  private values(chunk: StoredChunk): unknown[] {
    const vector = chunk.vector && this.embedding ? fromFloats(chunk.vector) : null;
    return [chunk.id, chunk.tenant, chunk.documentId, chunk.file, chunk.ordinal, chunk.page, chunk.heading ?? null, chunk.text, chunk.tokens, vector ? this.embedding?.model : null, vector, chunk.ocr === true];
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
    const seqs = anyOf(this.db, this.seq, top.map(([seq]) => Number(seq)), 'bigint');
    const rows = await this.db.all<HitRow>(
      `SELECT ${this.seq} AS seq, id, document_id, file, page, heading, text, ocr FROM ${this.table} WHERE ${seqs.sql} AND tenant = ?`,
      [...seqs.params, query.tenant],
    );
    const bySeq = new Map(rows.map((row) => [String(row.seq), row]));
    return top.flatMap(([seq, score]) => {
      const row = bySeq.get(seq);
      if (row === undefined || !visible.has(row.document_id)) return [];
      return [{ chunkId: row.id, documentId: row.document_id, file: row.file, page: row.page, heading: row.heading ?? undefined, text: row.text, score, ...(readBool(row.ocr) ? { ocr: true } : {}) }];
    });
  }

  async deleteDocument(tenant: string, documentId: string): Promise<void> {
    const { epoch, last } = await this.db.transaction(async (tx) => {
      await lockFor(tx, `passages:${tenant}`);
      await tx.run(`DELETE FROM ${this.table} WHERE tenant = ? AND document_id = ?`, [tenant, documentId]);
      return { epoch: await this.bumpEpoch(tx, tenant), last: (await this.head(tx, tenant)).seq };
    });
    // This process's own index follows the deletion at once, without a rebuild.
    const cached = this.cached.get(tenant);
    if (!cached) return;
    cached.index.removeDocument(documentId);
    if (cached.index.needsRebuild || cached.epoch !== epoch - 1) this.cached.delete(tenant);
    // SQLite gives the next passage the number after the highest left, which may be one deleted here.
    else this.cached.set(tenant, { ...cached, epoch, seq: Math.min(cached.seq, last) });
  }

  async countChunks(tenant: string, documentId: string): Promise<number> {
    const row = await this.db.get<{ n: number | string }>(`SELECT count(*) AS n FROM ${this.table} WHERE tenant = ? AND document_id = ?`, [tenant, documentId]);
    return readCount(row?.n);
  }

  async bestSimilarity(query: SearchQuery): Promise<number | undefined> {
    if (!query.vector || query.documentIds.length === 0) return undefined;
    const { index } = await this.current(query.tenant);
    return index.bestSimilarity(query.vector, new Set(query.documentIds));
  }

  async passages(tenant: string, documentId: string, limit?: number): Promise<StoredPassage[]> {
    const sql = `SELECT ordinal, page, heading, text FROM ${this.table} WHERE tenant = ? AND document_id = ? ORDER BY ordinal`;
    const rows = limit === undefined || limit < 0 ? await this.db.all<ReadingOrderRow>(sql, [tenant, documentId]) : await this.db.all<ReadingOrderRow>(`${sql} LIMIT ?`, [tenant, documentId, limit]);
    return rows.map((row) => ({ ordinal: row.ordinal, page: row.page, heading: row.heading ?? undefined, text: row.text }));
  }

  async passageTokens(tenant: string, documentId: string): Promise<string[][]> {
    const rows = await this.db.all<{ tokens: string }>(`SELECT tokens FROM ${this.table} WHERE tenant = ? AND document_id = ?`, [tenant, documentId]);
    return rows.map((row) => (row.tokens.length === 0 ? [] : row.tokens.split(' ')));
  }

  async retokenize(tenant: string, documentId: string, passages: readonly RetokenizedPassage[]): Promise<void> {
    if (passages.length === 0) return;
    await this.db.transaction(async (tx) => {
      await lockFor(tx, `passages:${tenant}`);
      if (tx.dialect === 'postgres') {
        await tx.run(
          `UPDATE passages p SET tokens = u.tokens FROM unnest(?::int[], ?::text[]) AS u(ordinal, tokens)
           WHERE p.tenant = ? AND p.document_id = ? AND p.ordinal = u.ordinal`,
          [passages.map((p) => p.ordinal), passages.map((p) => p.tokens), tenant, documentId],
        );
      } else {
        // In process, one prepared update per passage, found by its rowid.
        const rows = await tx.all<{ seq: number; ordinal: number }>(`SELECT rowid AS seq, ordinal FROM chunks WHERE tenant = ? AND document_id = ?`, [tenant, documentId]);
        const seqOf = new Map(rows.map((row) => [row.ordinal, row.seq]));
        for (const passage of passages) {
          const seq = seqOf.get(passage.ordinal);
          if (seq !== undefined) await tx.run(`UPDATE chunks SET tokens = ? WHERE rowid = ?`, [passage.tokens, seq]);
        }
      }
      // Every index (and saved snapshot) holds the old tokens: the new epoch rebuilds them.
      await this.bumpEpoch(tx, tenant);
    });
    this.cached.delete(tenant);
  }

  async close(): Promise<void> {
    await this.options.snapshots?.flush();
    this.cached.clear();
  }

  /** Moves the channel's epoch on (its passages were rewritten or deleted); returns the new epoch. */
  private async bumpEpoch(tx: SqlRunner, tenant: string): Promise<number> {
    const row = await tx.get<{ epoch: number | string }>(
      `INSERT INTO passage_epochs (tenant, epoch) VALUES (?, 1) ON CONFLICT (tenant) DO UPDATE SET epoch = passage_epochs.epoch + 1 RETURNING epoch`,
      [tenant],
    );
    return readCount(row?.epoch);
  }

  /** The channel's epoch and the seq of its last passage (0 when none). */
  private async head(db: SqlRunner, tenant: string): Promise<{ epoch: number; seq: number }> {
    const row = await db.get<{ epoch: number | string; seq: Seq }>(
      `SELECT coalesce((SELECT epoch FROM passage_epochs WHERE tenant = ?), 0) AS epoch, coalesce((SELECT max(${this.seq}) FROM ${this.table} WHERE tenant = ?), 0) AS seq`,
      [tenant, tenant],
    );
    return { epoch: readCount(row?.epoch), seq: Number(row?.seq ?? 0) };
  }

  /** The channel's index, brought up to date with what was committed (by any replica). */
  private async current(tenant: string): Promise<Cached> {
    return this.refreshing(tenant, () => this.refresh(tenant));
  }

  private async refresh(tenant: string): Promise<Cached> {
    const { epoch, seq: latest } = await this.head(this.db, tenant);
    let cached = this.cached.get(tenant);
    if (cached && cached.epoch !== epoch) cached = undefined;
    cached ??= await this.restore(tenant, epoch);
    if (latest > cached.seq) {
      const from = cached.seq;
      const read = await this.read(tenant, cached, cached.seq === 0 || cached.restored ? 'build' : 'write');
      if (cached.index.needsRebuild) {
        cached = { index: new ChannelIndex(this.embedding?.dimensions), epoch, seq: 0 };
        this.save(tenant, cached, await this.read(tenant, cached, 'build'), 0);
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

  /**
   * Adds the channel's passages after `cached.seq` to its index, a batch at a time with the event
   * loop free in between, until a batch comes back short: passages committed meanwhile are read
   * too (a channel's writers take turns, so its seqs become visible in order).
   */
  private async read(tenant: string, cached: Cached, kind: 'build' | 'write'): Promise<RowsRead> {
    const batch = this.options.buildBatch ?? 2_500;
    const model = this.embedding?.model ?? null;
    const read: { rows: number; last: RowsRead['last'] } = { rows: 0, last: undefined };
    for (;;) {
      const rows = await this.db.all<{ seq: Seq; document_id: string; tokens: string; vector: Buffer | null }>(
        `SELECT ${this.seq} AS seq, document_id, tokens, CASE WHEN embed_model = ? THEN vector END AS vector FROM ${this.table}
         WHERE tenant = ? AND ${this.seq} > ? ORDER BY ${this.seq} LIMIT ?`,
        [model, tenant, cached.seq, batch],
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
      if (rows.length < batch) return read;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The channel's saved index when it holds exactly the passages up to its last row, of this epoch and embedding. */
  private async restore(tenant: string, epoch: number): Promise<Cached> {
    const matches = async (meta: SnapshotMeta) => {
      if (!sameIndexing(meta, epoch, this.embedding)) return false;
      const row = await this.db.get<{ n: number | string; last: string | null }>(
        `SELECT count(*) AS n, (SELECT document_id FROM ${this.table} WHERE ${this.seq} = ? AND tenant = ?) AS last FROM ${this.table} WHERE tenant = ? AND ${this.seq} <= ?`,
        [meta.through, tenant, tenant, meta.through],
      );
      return readCount(row?.n) === meta.rows && row?.last === meta.lastDocument;
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

type Embedding = { readonly model: string; readonly dimensions: number } | undefined;

/** The embedded store: passages in the one SQLite file under DATA_DIR. */
export class SqliteStore extends SqlPassageStore {
  constructor(db: SqliteDatabase, embedding: Embedding, options: InMemoryStoreOptions, location: string) {
    super(sqliteRunner(db), embedding, options, `SQLite at ${location}`);
  }
}

/** Passages in PostgreSQL (DATABASE_URL without Qdrant), shared by every replica. */
export class PostgresStore extends SqlPassageStore {
  constructor(pool: PgPool, embedding: Embedding, options: InMemoryStoreOptions, location: string) {
    super(postgresRunner(pool), embedding, options, `PostgreSQL at ${location}`);
  }
}
