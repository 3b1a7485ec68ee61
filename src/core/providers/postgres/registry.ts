import pg from 'pg';
import { UnreadableDocumentError } from '../../errors.js';
import type { DocumentRegistry, PublishedVersion, TermStats, Versions } from '../../ports.js';
import { KEPT_PREVIOUS, newestAt, versionFilter } from '../versions-sql.js';
import type { DocumentRecord, DocumentStatus } from '../../types.js';
import { isUniqueViolation, transaction, type PgClient, type PgPool } from './database.js';

/** Terms sent per statement by saveTerms. */
const TERMS_PER_BATCH = 50_000;

interface DocumentRow {
  id: string;
  tenant: string;
  store_key: string;
  name: string;
  sha256: string;
  bytes: string;
  pages: number;
  chunks: number;
  ocr_pages: number;
  status: DocumentStatus;
  uploaded_by_id: string;
  uploaded_by_name: string;
  link: string | null;
  created_at: Date;
  indexed_at: Date | null;
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    storeKey: row.store_key,
    name: row.name,
    sha256: row.sha256,
    bytes: Number(row.bytes),
    pages: row.pages,
    chunks: row.chunks,
    ocrPages: row.ocr_pages,
    status: row.status,
    uploadedBy: { id: row.uploaded_by_id, name: row.uploaded_by_name },
    link: row.link ?? undefined,
    createdAt: row.created_at.toISOString(),
    indexedAt: row.indexed_at?.toISOString(),
  };
}

/**
 * The document registry in PostgreSQL, shared by every replica: which documents are visible.
 * A document's id follows from its channel, store and content, so two replicas given the same
 * file at once collide on the primary key and the second is told it is being indexed already.
 */
export class PostgresRegistry implements DocumentRegistry {
  /**
   * `abandonedAfterMs`: another replica may be indexing right now, so only an ingest that has been
   * 'indexing' this long counts as interrupted (by default an hour, far past the PDF and OCR time limits).
   */
  constructor(
    private readonly pool: PgPool,
    private readonly abandonedAfterMs = 3600_000,
  ) {}

  async begin(record: Parameters<DocumentRegistry['begin']>[0]): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO documents (id, tenant, store_key, name, sha256, bytes, status, uploaded_by_id, uploaded_by_name, link, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'indexing', $7, $8, $9, $10)`,
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
    await this.pool.query(`INSERT INTO document_origins (origin, document_id, posting) SELECT unnest($1::text[]), $2, $3 ON CONFLICT DO NOTHING`, [[...origins], documentId, origins[0]]);
  }

  async releaseOrigin(tenants: string, origin: string): Promise<DocumentRecord[]> {
    return transaction(this.pool, async (client) => {
      const released = await client.query<{ document_id: string }>(
        `DELETE FROM document_origins WHERE (document_id, posting) IN (
           SELECT document_id, posting FROM document_origins WHERE origin = $1 AND document_id IN (
             SELECT id FROM documents WHERE status = 'ready' AND (tenant = $2 OR (right($2, 1) = ':' AND starts_with(tenant, $2)))
           )
         ) RETURNING document_id`,
        [origin, tenants],
      );
      const ids = [...new Set(released.rows.map((r) => r.document_id))];
      if (ids.length === 0) return [];
      const { rows } = await client.query<DocumentRow>(`SELECT * FROM documents WHERE id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM document_origins o WHERE o.document_id = documents.id)`, [ids]);
      return rows.map(toRecord);
    });
  }

  async publish(id: string, counts: { pages: number; chunks: number; ocrPages: number }, at: Date): Promise<PublishedVersion> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<DocumentRow>(`SELECT * FROM documents WHERE id = $1 FOR UPDATE`, [id]);
      const doc = rows[0];
      if (doc === undefined) throw new Error(`document ${id} vanished while indexing`);
      const older = await versionsOf(client, doc, id);
      await client.query(`UPDATE documents SET status = 'ready', pages = $1, chunks = $2, ocr_pages = $3, indexed_at = $4 WHERE id = $5`, [
        counts.pages,
        counts.chunks,
        counts.ocrPages,
        newestAt(at, older[0]?.indexed_at),
        id,
      ]);
      const retired = older.slice(KEPT_PREVIOUS);
      if (retired.length > 0) await client.query(`UPDATE documents SET status = 'deleting' WHERE id = ANY($1::text[])`, [retired.map((r) => r.id)]);
      return { previous: older[0] && toRecord(older[0]), retired: retired.map((row) => toRecord({ ...row, status: 'deleting' })) };
    });
  }

  async reinstate(id: string, at: Date): Promise<DocumentRecord | undefined> {
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<DocumentRow>(`SELECT * FROM documents WHERE id = $1 AND status = 'ready' FOR UPDATE`, [id]);
      const doc = rows[0];
      if (doc === undefined) return undefined;
      const current = (await versionsOf(client, doc, id))[0];
      if (current === undefined || (current.indexed_at?.getTime() ?? 0) <= (doc.indexed_at?.getTime() ?? 0)) return undefined;
      await client.query(`UPDATE documents SET indexed_at = $1 WHERE id = $2`, [newestAt(at, current.indexed_at), id]);
      return toRecord(current);
    });
  }

  async markDeleting(id: string): Promise<void> {
    await this.pool.query(`UPDATE documents SET status = 'deleting' WHERE id = $1`, [id]);
  }

  async remove(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM documents WHERE id = $1`, [id]);
  }

  async get(id: string): Promise<DocumentRecord | undefined> {
    const { rows } = await this.pool.query<DocumentRow>(`SELECT * FROM documents WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async findReady(tenant: string, storeKey: string, sha256: string): Promise<DocumentRecord | undefined> {
    const { rows } = await this.pool.query<DocumentRow>(`SELECT * FROM documents WHERE tenant = $1 AND store_key = $2 AND sha256 = $3 AND status = 'ready'`, [tenant, storeKey, sha256]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async listReady(tenant: string, storeKey: string, versions: Versions = 'current'): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query<DocumentRow>(
      `SELECT * FROM documents d WHERE tenant = $1 AND store_key = $2 AND status = 'ready' AND ${versionFilter(versions)} ORDER BY indexed_at DESC, name`,
      [tenant, storeKey],
    );
    return rows.map(toRecord);
  }

  async listIndexing(tenant: string, storeKey: string): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query<DocumentRow>(`SELECT * FROM documents WHERE tenant = $1 AND store_key = $2 AND status = 'indexing' ORDER BY created_at, name`, [tenant, storeKey]);
    return rows.map(toRecord);
  }

  async listReadyIn(tenants: string, storeKey: string): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query<DocumentRow>(
      `SELECT * FROM documents WHERE store_key = $2 AND status = 'ready' AND (tenant = $1 OR (right($1, 1) = ':' AND starts_with(tenant, $1))) ORDER BY tenant, name`,
      [tenants, storeKey],
    );
    return rows.map(toRecord);
  }

  async listIndexedBefore(storeKey: string, before: Date): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query<DocumentRow>(`SELECT * FROM documents WHERE store_key = $1 AND status = 'ready' AND indexed_at < $2 ORDER BY indexed_at`, [storeKey, before]);
    return rows.map(toRecord);
  }

  async markDeparted(tenants: string, reason: string, at: Date): Promise<void> {
    await this.pool.query(`INSERT INTO channel_departures (tenants, reason, at) VALUES ($1, $2, $3) ON CONFLICT (tenants) DO NOTHING`, [tenants, reason, at]);
  }

  async clearDeparted(tenants: string): Promise<void> {
    await this.pool.query(`DELETE FROM channel_departures WHERE tenants = $1`, [tenants]);
  }

  async listDeparted(before: Date): Promise<{ tenants: string; reason: string; at: Date }[]> {
    const { rows } = await this.pool.query<{ tenants: string; reason: string; at: Date }>(`SELECT tenants, reason, at FROM channel_departures WHERE at < $1 ORDER BY at`, [before]);
    return rows;
  }

  async saveTerms(documentId: string, passagesPerTerm: ReadonlyMap<string, number>): Promise<void> {
    const entries = [...passagesPerTerm];
    await transaction(this.pool, async (client) => {
      await client.query(`DELETE FROM document_terms WHERE document_id = $1`, [documentId]);
      // Arrays unnested server-side, not one round trip per term; in batches, so encoding a
      // document of a million distinct terms never holds the event loop long.
      for (let start = 0; start < entries.length; start += TERMS_PER_BATCH) {
        const batch = entries.slice(start, start + TERMS_PER_BATCH);
        await client.query(`INSERT INTO document_terms (document_id, token, passages) SELECT $1, t.token, t.passages FROM unnest($2::text[], $3::int[]) AS t(token, passages)`, [
          documentId,
          batch.map(([token]) => token),
          batch.map(([, passages]) => passages),
        ]);
      }
      await client.query(`UPDATE documents SET terms_saved = TRUE WHERE id = $1`, [documentId]);
    });
  }

  async termStats(tenant: string, storeKey: string, tokens: readonly string[], versions: Versions = 'current'): Promise<TermStats> {
    const totals = await this.pool.query<{ passages: string; complete: boolean | null }>(
      `SELECT coalesce(sum(chunks), 0) AS passages, bool_and(terms_saved) AS complete FROM documents d WHERE tenant = $1 AND store_key = $2 AND status = 'ready' AND ${versionFilter(versions)}`,
      [tenant, storeKey],
    );
    const { rows } = await this.pool.query<{ token: string; passages: string }>(
      `SELECT t.token, sum(t.passages) AS passages FROM document_terms t JOIN documents d ON d.id = t.document_id
       WHERE t.token = ANY($1::text[]) AND d.tenant = $2 AND d.store_key = $3 AND d.status = 'ready' AND ${versionFilter(versions)}
       GROUP BY t.token`,
      [[...new Set(tokens)], tenant, storeKey],
    );
    const total = totals.rows[0];
    return { passages: Number(total?.passages ?? 0), frequencies: new Map(rows.map((r) => [r.token, Number(r.passages)])), complete: total?.complete ?? true };
  }

  async listWithoutTerms(storeKey: string): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query<DocumentRow>(`SELECT * FROM documents WHERE store_key = $1 AND status = 'ready' AND NOT terms_saved`, [storeKey]);
    return rows.map(toRecord);
  }

  async listReadyAfter(storeKey: string, after: string, limit: number): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query<DocumentRow>(`SELECT * FROM documents WHERE store_key = $1 AND status = 'ready' AND id > $2 ORDER BY id LIMIT $3`, [storeKey, after, limit]);
    return rows.map(toRecord);
  }

  /**
   * Replicas starting together take turns under a session advisory lock, held on a connection of
   * its own (not the pool's: `work` may need every pooled connection), and each reads the recorded
   * version once it holds the lock: the first does the work, the others find it recorded. If the
   * working replica stops, its connection closes, the lock passes on, and the next one does the
   * work again (it must be safe to repeat).
   */
  async migrateStore(storeKey: string, subject: string, version: number, work: (recorded: number | undefined) => Promise<boolean>): Promise<boolean> {
    const client = new pg.Client(this.pool.options);
    // A connection the server drops while the work runs must not crash the process.
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`store-version:${storeKey}:${subject}`]);
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM store_versions WHERE store_key = $1 AND subject = $2`, [storeKey, subject]);
      const recorded = rows[0]?.version;
      if (recorded === version) return false;
      if (await work(recorded)) {
        await client.query(
          `INSERT INTO store_versions (store_key, subject, version, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (store_key, subject) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
          [storeKey, subject, version],
        );
      }
      return true;
    } finally {
      // Closing the session releases its lock.
      await client.end().catch(() => undefined);
    }
  }

  async listUnfinished(storeKey: string): Promise<DocumentRecord[]> {
    // Deletions are idempotent and safe to finish from any replica; ingests only once abandoned.
    const { rows } = await this.pool.query<DocumentRow>(
      `SELECT * FROM documents WHERE store_key = $1 AND (status = 'deleting' OR (status = 'indexing' AND created_at < now() - make_interval(secs => $2)))`,
      [storeKey, this.abandonedAfterMs / 1000],
    );
    return rows.map(toRecord);
  }
}

/**
 * The other ready versions of a document's name, newest first, under a lock on the name:
 * versions of one name are published one at a time, so "the current version" stays single.
 */
async function versionsOf(client: PgClient, doc: DocumentRow, except: string): Promise<DocumentRow[]> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${doc.tenant}|${doc.store_key}|${doc.name}`]);
  const { rows } = await client.query<DocumentRow>(
    `SELECT * FROM documents WHERE tenant = $1 AND store_key = $2 AND name = $3 AND status = 'ready' AND id <> $4 ORDER BY indexed_at DESC, id DESC FOR UPDATE`,
    [doc.tenant, doc.store_key, doc.name, except],
  );
  return rows;
}
