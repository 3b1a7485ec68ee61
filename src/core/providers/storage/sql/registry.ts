import { UnreadableDocumentError } from '../../../ports/errors.js';
import type { DocumentRegistry, PublishedVersion, TermStats, Versions } from '../../../ports/ports.js';
import type { DocumentRecord, DocumentStatus } from '../../../ports/types.js';
import { KEPT_PREVIOUS, newestAt, versionFilter } from './versions.js';
import { anyOf, forUpdate, isUniqueViolation, lockFor } from './dialect.js';
import { readCount, readDate, type SqlRunner } from './sql-runner.js';
import { inProcessTurns, type Turns } from './turns.js';

/** Terms written per statement by saveTerms: in SQLite some 20 ms of work, which holds the process; PostgreSQL works apart. */
const TERMS_PER_BATCH = { sqlite: 5_000, postgres: 50_000 } as const;


interface DocumentRow {
  id: string;
  tenant: string;
  store_key: string;
  name: string;
  sha256: string;
  bytes: number | string;
  pages: number;
  chunks: number;
  ocr_pages: number;
  status: DocumentStatus;
  uploaded_by_id: string;
  uploaded_by_name: string;
  link: string | null;
  created_at: string | Date;
  indexed_at: string | Date | null;
}

/** An instant as the record carries it: SQLite's text as written, PostgreSQL's timestamp in ISO form. */
const iso = (value: string | Date): string => (typeof value === 'string' ? value : value.toISOString());

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    storeKey: row.store_key,
    name: row.name,
    sha256: row.sha256,
    bytes: readCount(row.bytes),
    pages: row.pages,
    chunks: row.chunks,
    ocrPages: row.ocr_pages,
    status: row.status,
    uploadedBy: { id: row.uploaded_by_id, name: row.uploaded_by_name },
    link: row.link ?? undefined,
    createdAt: iso(row.created_at),
    indexedAt: row.indexed_at === null ? undefined : iso(row.indexed_at),
  };
}

/** `tenant` is `tenants`, or starts with it when it is a workspace's prefix (ending in ':'); compared exactly, never with LIKE. */
function inTenants(tenants: string): { sql: string; params: unknown[] } {
  if (!tenants.endsWith(':')) return { sql: 'tenant = ?', params: [tenants] };
  return { sql: `(tenant = ? OR substr(tenant, 1, ${[...tenants].length}) = ?)`, params: [tenants, tenants] };
}

export interface SqlRegistryOptions {
  /** How callers of migrateStore naming the same store and subject take turns: in this process unless given (replicas sharing PostgreSQL). */
  readonly turns?: Turns;
  /**
   * PostgreSQL: another replica may be indexing right now, so only an ingest 'indexing' this long
   * counts as interrupted (by default an hour, far past the PDF and OCR time limits).
   */
  readonly abandonedAfterMs?: number;
}

/**
 * The document registry, the single source of truth for which documents are visible, written
 * once for SQLite and PostgreSQL. A document's id follows from its channel, store and content, so
 * two callers (or replicas) given the same file at once collide on the primary key and the second
 * is told it is being indexed already.
 */
export class SqlRegistry implements DocumentRegistry {
  private readonly turns: Turns;

  constructor(
    private readonly db: SqlRunner,
    private readonly options: SqlRegistryOptions = {},
  ) {
    this.turns = options.turns ?? inProcessTurns();
  }

  async begin(record: Parameters<DocumentRegistry['begin']>[0]): Promise<void> {
    try {
      await this.db.run(
        `INSERT INTO documents (id, tenant, store_key, name, sha256, bytes, status, uploaded_by_id, uploaded_by_name, link, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'indexing', ?, ?, ?, ?)`,
        [record.id, record.tenant, record.storeKey, record.name, record.sha256, record.bytes, record.uploadedBy.id, record.uploadedBy.name, record.link ?? null, record.createdAt],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new UnreadableDocumentError('already_indexing', 'the same file is being indexed right now; wait for it to finish', { detail: String(error) });
      throw error;
    }
    await this.addOrigins(record.id, record.origins ?? []);
  }

  async addOrigins(documentId: string, origins: readonly string[]): Promise<void> {
    if (origins.length === 0) return;
    await this.db.run(
      `INSERT INTO document_origins (origin, document_id, posting) VALUES ${origins.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      origins.flatMap((origin) => [origin, documentId, origins[0]]),
    );
  }

  async releaseOrigin(tenants: string, origin: string): Promise<DocumentRecord[]> {
    return this.db.transaction(async (tx) => {
      const within = inTenants(tenants);
      const released = await tx.all<{ document_id: string }>(
        `DELETE FROM document_origins WHERE (document_id, posting) IN (
           SELECT document_id, posting FROM document_origins WHERE origin = ? AND document_id IN (
             SELECT id FROM documents WHERE status = 'ready' AND ${within.sql}
           )
         ) RETURNING document_id`,
        [origin, ...within.params],
      );
      const ids = [...new Set(released.map((r) => r.document_id))];
      if (ids.length === 0) return [];
      const touched = anyOf(tx, 'id', ids);
      const rows = await tx.all<DocumentRow>(`SELECT * FROM documents WHERE ${touched.sql} AND NOT EXISTS (SELECT 1 FROM document_origins o WHERE o.document_id = documents.id)`, touched.params);
      return rows.map(toRecord);
    });
  }

  async publish(id: string, counts: { pages: number; chunks: number; ocrPages: number }, at: Date): Promise<PublishedVersion> {
    return this.db.transaction(async (tx) => {
      const doc = await tx.get<DocumentRow>(`SELECT * FROM documents WHERE id = ?${forUpdate(tx)}`, [id]);
      if (doc === undefined) throw new Error(`document ${id} vanished while indexing`);
      const older = await versionsOf(tx, doc, id);
      await tx.run(`UPDATE documents SET status = 'ready', pages = ?, chunks = ?, ocr_pages = ?, indexed_at = ? WHERE id = ?`, [
        counts.pages,
        counts.chunks,
        counts.ocrPages,
        newestAt(at, older[0]?.indexed_at),
        id,
      ]);
      const retired = older.slice(KEPT_PREVIOUS);
      if (retired.length > 0) {
        const ids = anyOf(tx, 'id', retired.map((r) => r.id));
        await tx.run(`UPDATE documents SET status = 'deleting' WHERE ${ids.sql}`, ids.params);
      }
      return { previous: older[0] && toRecord(older[0]), retired: retired.map((row) => toRecord({ ...row, status: 'deleting' })) };
    });
  }

  async reinstate(id: string, at: Date): Promise<DocumentRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const doc = await tx.get<DocumentRow>(`SELECT * FROM documents WHERE id = ? AND status = 'ready'${forUpdate(tx)}`, [id]);
      if (doc === undefined) return undefined;
      const current = (await versionsOf(tx, doc, id))[0];
      if (current === undefined || (readDate(current.indexed_at)?.getTime() ?? 0) <= (readDate(doc.indexed_at)?.getTime() ?? 0)) return undefined;
      await tx.run(`UPDATE documents SET indexed_at = ? WHERE id = ?`, [newestAt(at, current.indexed_at), id]);
      return toRecord(current);
    });
  }

  async markDeleting(id: string): Promise<void> {
    await this.db.run(`UPDATE documents SET status = 'deleting' WHERE id = ?`, [id]);
  }

  async remove(id: string): Promise<void> {
    await this.db.run(`DELETE FROM documents WHERE id = ?`, [id]);
  }

  async get(id: string): Promise<DocumentRecord | undefined> {
    const row = await this.db.get<DocumentRow>(`SELECT * FROM documents WHERE id = ?`, [id]);
    return row && toRecord(row);
  }

  async findReady(tenant: string, storeKey: string, sha256: string): Promise<DocumentRecord | undefined> {
    const row = await this.db.get<DocumentRow>(`SELECT * FROM documents WHERE tenant = ? AND store_key = ? AND sha256 = ? AND status = 'ready'`, [tenant, storeKey, sha256]);
    return row && toRecord(row);
  }

  async listReady(tenant: string, storeKey: string, versions: Versions = 'current'): Promise<DocumentRecord[]> {
    return this.list(`SELECT * FROM documents d WHERE tenant = ? AND store_key = ? AND status = 'ready' AND ${versionFilter(versions)} ORDER BY indexed_at DESC, name`, [tenant, storeKey]);
  }

  async listIndexing(tenant: string, storeKey: string): Promise<DocumentRecord[]> {
    return this.list(`SELECT * FROM documents WHERE tenant = ? AND store_key = ? AND status = 'indexing' ORDER BY created_at, name`, [tenant, storeKey]);
  }

  async listReadyIn(tenants: string, storeKey: string): Promise<DocumentRecord[]> {
    const within = inTenants(tenants);
    return this.list(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND ${within.sql} ORDER BY tenant, name`, [storeKey, ...within.params]);
  }

  async listIndexedBefore(storeKey: string, before: Date): Promise<DocumentRecord[]> {
    return this.list(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND indexed_at < ? ORDER BY indexed_at`, [storeKey, before]);
  }

  async markDeparted(tenants: string, reason: string, at: Date): Promise<void> {
    await this.db.run(`INSERT INTO channel_departures (tenants, reason, at) VALUES (?, ?, ?) ON CONFLICT (tenants) DO NOTHING`, [tenants, reason, at]);
  }

  async clearDeparted(tenants: string): Promise<void> {
    await this.db.run(`DELETE FROM channel_departures WHERE tenants = ?`, [tenants]);
  }

  async listDeparted(before: Date): Promise<{ tenants: string; reason: string; at: Date }[]> {
    const rows = await this.db.all<{ tenants: string; reason: string; at: string | Date }>(`SELECT tenants, reason, at FROM channel_departures WHERE at < ? ORDER BY at`, [before]);
    return rows.map((r) => ({ ...r, at: readDate(r.at) }));
  }

  /**
   * A document's terms, written in batches with the event loop free in between (a document of a
   * million distinct terms would otherwise hold every other request for many seconds); the
   * document counts as having its terms only once the last batch is in. PostgreSQL writes them
   * all in one transaction on a connection of its own (the others read the old terms meanwhile);
   * in SQLite a transaction holds the whole file, so each batch commits on its own.
   */
  async saveTerms(documentId: string, passagesPerTerm: ReadonlyMap<string, number>): Promise<void> {
    const perBatch = TERMS_PER_BATCH[this.db.dialect];
    const save = async (db: SqlRunner) => {
      await db.transaction(async (tx) => {
        await tx.run(`UPDATE documents SET terms_saved = ? WHERE id = ?`, [false, documentId]);
        await tx.run(`DELETE FROM document_terms WHERE document_id = ?`, [documentId]);
      });
      const entries = [...passagesPerTerm];
      for (let start = 0; start < entries.length; start += perBatch) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        await db.transaction((tx) => insertTerms(tx, documentId, entries.slice(start, start + perBatch)));
      }
      await db.run(`UPDATE documents SET terms_saved = ? WHERE id = ?`, [true, documentId]);
    };
    await (this.db.dialect === 'postgres' ? this.db.transaction(save) : save(this.db));
  }

  async termStats(tenant: string, storeKey: string, tokens: readonly string[], versions: Versions = 'current'): Promise<TermStats> {
    const totals = await this.db.get<{ passages: number | string; complete: number | string }>(
      `SELECT coalesce(sum(chunks), 0) AS passages, coalesce(min(CASE WHEN terms_saved THEN 1 ELSE 0 END), 1) AS complete
       FROM documents d WHERE tenant = ? AND store_key = ? AND status = 'ready' AND ${versionFilter(versions)}`,
      [tenant, storeKey],
    );
    const asked = anyOf(this.db, 't.token', [...new Set(tokens)]);
    const rows = await this.db.all<{ token: string; passages: number | string }>(
      `SELECT t.token AS token, sum(t.passages) AS passages FROM document_terms t JOIN documents d ON d.id = t.document_id
       WHERE ${asked.sql} AND d.tenant = ? AND d.store_key = ? AND d.status = 'ready' AND ${versionFilter(versions)}
       GROUP BY t.token`,
      [...asked.params, tenant, storeKey],
    );
    return { passages: readCount(totals?.passages), frequencies: new Map(rows.map((r) => [r.token, readCount(r.passages)])), complete: readCount(totals?.complete ?? 1) === 1 };
  }

  async listWithoutTerms(storeKey: string): Promise<DocumentRecord[]> {
    return this.list(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND NOT terms_saved`, [storeKey]);
  }

  async listReadyAfter(storeKey: string, after: string, limit: number): Promise<DocumentRecord[]> {
    return this.list(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND id > ? ORDER BY id LIMIT ?`, [storeKey, after, limit]);
  }

  /**
   * Callers take turns (across replicas when the database is shared), and each reads the
   * recorded version once its turn comes: the first does the work, the others find it recorded.
   * If a replica stops while working, its turn passes on and the next one does the work again
   * (it must be safe to repeat).
   */
  async migrateStore(storeKey: string, subject: string, version: number, work: (recorded: number | undefined) => Promise<boolean>): Promise<boolean> {
    return this.turns(`store-version:${storeKey}:${subject}`, async () => {
      const row = await this.db.get<{ version: number }>(`SELECT version FROM store_versions WHERE store_key = ? AND subject = ?`, [storeKey, subject]);
      if (row?.version === version) return false;
      if (await work(row?.version)) {
        await this.db.run(
          `INSERT INTO store_versions (store_key, subject, version, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (store_key, subject) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
          [storeKey, subject, version, new Date()],
        );
      }
      return true;
    });
  }

  /**
   * A SQLite file has one process at a time, so whatever it finds unfinished was interrupted.
   * PostgreSQL's replicas run side by side: deletions are idempotent and safe to finish from any
   * replica, ingests only once abandoned (by the database's clock).
   */
  async listUnfinished(storeKey: string): Promise<DocumentRecord[]> {
    if (this.db.dialect === 'sqlite') return this.list(`SELECT * FROM documents WHERE store_key = ? AND status <> 'ready'`, [storeKey]);
    return this.list(`SELECT * FROM documents WHERE store_key = ? AND (status = 'deleting' OR (status = 'indexing' AND created_at < now() - make_interval(secs => ?)))`, [
      storeKey,
      (this.options.abandonedAfterMs ?? 3600_000) / 1000,
    ]);
  }

  private async list(sql: string, params: readonly unknown[]): Promise<DocumentRecord[]> {
    return (await this.db.all<DocumentRow>(sql, params)).map(toRecord);
  }
}

/**
 * The other ready versions of a document's name, newest first, under a lock on the name:
 * versions of one name are published one at a time, so "the current version" stays single.
 */
async function versionsOf(tx: SqlRunner, doc: DocumentRow, except: string): Promise<DocumentRow[]> {
  await lockFor(tx, `${doc.tenant}|${doc.store_key}|${doc.name}`);
  return tx.all<DocumentRow>(
    `SELECT * FROM documents WHERE tenant = ? AND store_key = ? AND name = ? AND status = 'ready' AND id <> ? ORDER BY indexed_at DESC, id DESC${forUpdate(tx)}`,
    [doc.tenant, doc.store_key, doc.name, except],
  );
}

/** One batch of a document's terms in one statement: arrays PostgreSQL unnests, or a JSON array of [term, passages] SQLite reads with json_each. */
async function insertTerms(tx: SqlRunner, documentId: string, batch: readonly (readonly [string, number])[]): Promise<void> {
  if (tx.dialect === 'postgres') {
    await tx.run(`INSERT INTO document_terms (document_id, token, passages) SELECT ?, t.token, t.passages FROM unnest(?::text[], ?::int[]) AS t(token, passages)`, [
      documentId,
      batch.map(([token]) => token),
      batch.map(([, passages]) => passages),
    ]);
    return;
  }
  await tx.run(
    `INSERT INTO document_terms (document_id, token, passages) SELECT ?, value ->> 0, value ->> 1 FROM json_each(?) WHERE true
     ON CONFLICT (token, document_id) DO UPDATE SET passages = excluded.passages`,
    [documentId, JSON.stringify(batch)],
  );
}
