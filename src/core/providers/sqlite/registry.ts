import type { DocumentRegistry, PublishedVersion, TermStats, Versions } from '../../ports.js';
import { KEPT_PREVIOUS, newestAt, versionFilter } from '../versions-sql.js';
import type { DocumentRecord, DocumentStatus } from '../../types.js';
import type { SqliteDatabase } from './database.js';

/** Terms written per transaction by saveTerms (some 20 ms of work each). */
const TERMS_PER_BATCH = 5_000;

interface DocumentRow {
  id: string;
  tenant: string;
  store_key: string;
  name: string;
  sha256: string;
  bytes: number;
  pages: number;
  chunks: number;
  ocr_pages: number;
  status: DocumentStatus;
  uploaded_by_id: string;
  uploaded_by_name: string;
  link: string | null;
  created_at: string;
  indexed_at: string | null;
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    storeKey: row.store_key,
    name: row.name,
    sha256: row.sha256,
    bytes: row.bytes,
    pages: row.pages,
    chunks: row.chunks,
    ocrPages: row.ocr_pages,
    status: row.status,
    uploadedBy: { id: row.uploaded_by_id, name: row.uploaded_by_name },
    link: row.link ?? undefined,
    createdAt: row.created_at,
    indexedAt: row.indexed_at ?? undefined,
  };
}

/** The document registry in SQLite: the single source of truth for which documents are visible. */
export class SqliteRegistry implements DocumentRegistry {
  /** Store migrations running in this process, per store and subject. */
  private readonly migrating = new Map<string, Promise<boolean>>();

  constructor(private readonly db: SqliteDatabase) {}

  async begin(record: Parameters<DocumentRegistry['begin']>[0]): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO documents (id, tenant, store_key, name, sha256, bytes, status, uploaded_by_id, uploaded_by_name, link, created_at)
         VALUES (@id, @tenant, @storeKey, @name, @sha256, @bytes, 'indexing', @byId, @byName, @link, @createdAt)`,
      )
      .run({
        id: record.id,
        tenant: record.tenant,
        storeKey: record.storeKey,
        name: record.name,
        sha256: record.sha256,
        bytes: record.bytes,
        byId: record.uploadedBy.id,
        byName: record.uploadedBy.name,
        link: record.link ?? null,
        createdAt: record.createdAt,
      });
    await this.addOrigins(record.id, record.origins ?? []);
  }

  async addOrigins(documentId: string, origins: readonly string[]): Promise<void> {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO document_origins (origin, document_id, posting) VALUES (?, ?, ?)`);
    this.db.transaction(() => {
      for (const origin of origins) insert.run(origin, documentId, origins[0]);
    })();
  }

  async releaseOrigin(tenants: string, origin: string): Promise<DocumentRecord[]> {
    return this.db.transaction(() => {
      const released = this.db
        .prepare(
          `DELETE FROM document_origins WHERE (document_id, posting) IN (
             SELECT document_id, posting FROM document_origins WHERE origin = @origin AND document_id IN (
               SELECT id FROM documents WHERE status = 'ready' AND (tenant = @tenants OR (substr(@tenants, -1) = ':' AND substr(tenant, 1, length(@tenants)) = @tenants))
             )
           ) RETURNING document_id`,
        )
        .all({ origin, tenants }) as { document_id: string }[];
      const orphaned = this.db.prepare(`SELECT * FROM documents WHERE id = ? AND NOT EXISTS (SELECT 1 FROM document_origins WHERE document_id = documents.id)`);
      return [...new Set(released.map((r) => r.document_id))].flatMap((id) => {
        const row = orphaned.get(id) as DocumentRow | undefined;
        return row ? [toRecord(row)] : [];
      });
    })();
  }

  async publish(id: string, counts: { pages: number; chunks: number; ocrPages: number }, at: Date): Promise<PublishedVersion> {
    return this.db.transaction(() => {
      const doc = this.db.prepare(`SELECT * FROM documents WHERE id = ?`).get(id) as DocumentRow | undefined;
      if (doc === undefined) throw new Error(`document ${id} vanished while indexing`);
      const older = this.versionsOf(doc, id);
      this.db
        .prepare(`UPDATE documents SET status = 'ready', pages = ?, chunks = ?, ocr_pages = ?, indexed_at = ? WHERE id = ?`)
        .run(counts.pages, counts.chunks, counts.ocrPages, newestAt(at, older[0]?.indexed_at), id);
      const retired = older.slice(KEPT_PREVIOUS);
      const retire = this.db.prepare(`UPDATE documents SET status = 'deleting' WHERE id = ?`);
      for (const row of retired) retire.run(row.id);
      return { previous: older[0] && toRecord(older[0]), retired: retired.map((row) => toRecord({ ...row, status: 'deleting' })) };
    })();
  }

  async reinstate(id: string, at: Date): Promise<DocumentRecord | undefined> {
    return this.db.transaction(() => {
      const doc = this.db.prepare(`SELECT * FROM documents WHERE id = ? AND status = 'ready'`).get(id) as DocumentRow | undefined;
      if (doc === undefined) return undefined;
      const current = this.versionsOf(doc, id)[0];
      if (current === undefined || (current.indexed_at ?? '') <= (doc.indexed_at ?? '')) return undefined;
      this.db.prepare(`UPDATE documents SET indexed_at = ? WHERE id = ?`).run(newestAt(at, current.indexed_at), id);
      return toRecord(current);
    })();
  }

  /** The other ready versions of a document's name, newest first. */
  private versionsOf(doc: DocumentRow, except: string): DocumentRow[] {
    return this.db
      .prepare(`SELECT * FROM documents WHERE tenant = ? AND store_key = ? AND name = ? AND status = 'ready' AND id <> ? ORDER BY indexed_at DESC, id DESC`)
      .all(doc.tenant, doc.store_key, doc.name, except) as DocumentRow[];
  }

  async markDeleting(id: string): Promise<void> {
    this.db.prepare(`UPDATE documents SET status = 'deleting' WHERE id = ?`).run(id);
  }

  async remove(id: string): Promise<void> {
    this.db.prepare(`DELETE FROM documents WHERE id = ?`).run(id);
  }

  async get(id: string): Promise<DocumentRecord | undefined> {
    const row = this.db.prepare(`SELECT * FROM documents WHERE id = ?`).get(id) as DocumentRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  async findReady(tenant: string, storeKey: string, sha256: string): Promise<DocumentRecord | undefined> {
    const row = this.db
      .prepare(`SELECT * FROM documents WHERE tenant = ? AND store_key = ? AND sha256 = ? AND status = 'ready'`)
      .get(tenant, storeKey, sha256) as DocumentRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  async listReady(tenant: string, storeKey: string, versions: Versions = 'current'): Promise<DocumentRecord[]> {
    const rows = this.db
      .prepare(`SELECT * FROM documents d WHERE tenant = ? AND store_key = ? AND status = 'ready' AND ${versionFilter(versions)} ORDER BY indexed_at DESC, name`)
      .all(tenant, storeKey) as DocumentRow[];
    return rows.map(toRecord);
  }

  async listIndexing(tenant: string, storeKey: string): Promise<DocumentRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM documents WHERE tenant = ? AND store_key = ? AND status = 'indexing' ORDER BY created_at, name`).all(tenant, storeKey) as DocumentRow[];
    return rows.map(toRecord);
  }

  async listReadyIn(tenants: string, storeKey: string): Promise<DocumentRecord[]> {
    const rows = this.db
      .prepare(`SELECT * FROM documents WHERE store_key = @storeKey AND status = 'ready' AND (tenant = @tenants OR (substr(@tenants, -1) = ':' AND substr(tenant, 1, length(@tenants)) = @tenants)) ORDER BY tenant, name`)
      .all({ tenants, storeKey }) as DocumentRow[];
    return rows.map(toRecord);
  }

  async listIndexedBefore(storeKey: string, before: Date): Promise<DocumentRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND indexed_at < ? ORDER BY indexed_at`).all(storeKey, before.toISOString()) as DocumentRow[];
    return rows.map(toRecord);
  }

  async markDeparted(tenants: string, reason: string, at: Date): Promise<void> {
    this.db.prepare(`INSERT INTO channel_departures (tenants, reason, at) VALUES (?, ?, ?) ON CONFLICT (tenants) DO NOTHING`).run(tenants, reason, at.toISOString());
  }

  async clearDeparted(tenants: string): Promise<void> {
    this.db.prepare(`DELETE FROM channel_departures WHERE tenants = ?`).run(tenants);
  }

  async listDeparted(before: Date): Promise<{ tenants: string; reason: string; at: Date }[]> {
    const rows = this.db.prepare(`SELECT tenants, reason, at FROM channel_departures WHERE at < ? ORDER BY at`).all(before.toISOString()) as { tenants: string; reason: string; at: string }[];
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }

  /**
   * A document's terms, written in batches with the event loop free in between (a document of a
   * million distinct terms would otherwise hold every other request for many seconds); the
   * document counts as having its terms only once the last batch is in.
   */
  async saveTerms(documentId: string, passagesPerTerm: ReadonlyMap<string, number>): Promise<void> {
    const insert = this.db.prepare(
      `INSERT INTO document_terms (document_id, token, passages) VALUES (?, ?, ?)
       ON CONFLICT (token, document_id) DO UPDATE SET passages = excluded.passages`,
    );
    this.db.transaction(() => {
      this.db.prepare(`UPDATE documents SET terms_saved = 0 WHERE id = ?`).run(documentId);
      this.db.prepare(`DELETE FROM document_terms WHERE document_id = ?`).run(documentId);
    })();
    const entries = passagesPerTerm.entries();
    let done = false;
    while (!done) {
      this.db.transaction(() => {
        for (let n = 0; n < TERMS_PER_BATCH; n++) {
          const next = entries.next();
          if (next.done) {
            done = true;
            return;
          }
          insert.run(documentId, next.value[0], next.value[1]);
        }
      })();
      if (!done) await new Promise((resolve) => setImmediate(resolve));
    }
    this.db.prepare(`UPDATE documents SET terms_saved = 1 WHERE id = ?`).run(documentId);
  }

  async termStats(tenant: string, storeKey: string, tokens: readonly string[], versions: Versions = 'current'): Promise<TermStats> {
    const totals = this.db
      .prepare(`SELECT coalesce(sum(chunks), 0) AS passages, coalesce(min(terms_saved), 1) AS complete FROM documents d WHERE tenant = ? AND store_key = ? AND status = 'ready' AND ${versionFilter(versions)}`)
      .get(tenant, storeKey) as { passages: number; complete: number };
    const rows = this.db
      .prepare(
        `SELECT t.token AS token, sum(t.passages) AS passages FROM document_terms t JOIN documents d ON d.id = t.document_id
         WHERE t.token IN (SELECT value FROM json_each(?)) AND d.tenant = ? AND d.store_key = ? AND d.status = 'ready' AND ${versionFilter(versions)}
         GROUP BY t.token`,
      )
      .all(JSON.stringify([...new Set(tokens)]), tenant, storeKey) as { token: string; passages: number }[];
    return { passages: totals.passages, frequencies: new Map(rows.map((r) => [r.token, r.passages])), complete: totals.complete === 1 };
  }

  async listWithoutTerms(storeKey: string): Promise<DocumentRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND terms_saved = 0`).all(storeKey) as DocumentRow[];
    return rows.map(toRecord);
  }

  async listReadyAfter(storeKey: string, after: string, limit: number): Promise<DocumentRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM documents WHERE store_key = ? AND status = 'ready' AND id > ? ORDER BY id LIMIT ?`).all(storeKey, after, limit) as DocumentRow[];
    return rows.map(toRecord);
  }

  /** One process uses the file; its callers take turns (each reads the version once the one before has finished). */
  async migrateStore(storeKey: string, subject: string, version: number, work: (recorded: number | undefined) => Promise<boolean>): Promise<boolean> {
    const key = `${storeKey}\u0000${subject}`;
    const run = (this.migrating.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.migrateNow(storeKey, subject, version, work));
    this.migrating.set(key, run);
    try {
      return await run;
    } finally {
      if (this.migrating.get(key) === run) this.migrating.delete(key);
    }
  }

  private async migrateNow(storeKey: string, subject: string, version: number, work: (recorded: number | undefined) => Promise<boolean>): Promise<boolean> {
    const row = this.db.prepare(`SELECT version FROM store_versions WHERE store_key = ? AND subject = ?`).get(storeKey, subject) as { version: number } | undefined;
    if (row?.version === version) return false;
    if (await work(row?.version)) {
      this.db
        .prepare(
          `INSERT INTO store_versions (store_key, subject, version, updated_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
           ON CONFLICT (store_key, subject) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
        )
        .run(storeKey, subject, version);
    }
    return true;
  }

  async listUnfinished(storeKey: string): Promise<DocumentRecord[]> {
    const rows = this.db
      .prepare(`SELECT * FROM documents WHERE store_key = ? AND status <> 'ready'`)
      .all(storeKey) as DocumentRow[];
    return rows.map(toRecord);
  }
}
