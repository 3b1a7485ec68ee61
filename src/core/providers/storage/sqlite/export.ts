import type { StoredChunk } from '../../../ports/types.js';
import { toFloats } from '../../search/floats.js';
import type { SqliteDatabase } from './database.js';
import type { PassageFields } from '../passage-fields.js';

/**
 * What `npm run migrate:postgres` reads out of a SQLite install: the tables PostgreSQL has with
 * the same columns (booleans as 0/1 and instants as ISO text, which PostgreSQL reads as they
 * are), and each document's passages. Not copied: documents still being indexed or deleted (a
 * crash left them; they are re-posted), delivery ids (they matter for minutes), replies' details
 * (kept a week for the asker), the admin page's activity (operational figures of this install) and
 * its sessions (one signs in again).
 */
export interface CopiedTable {
  readonly table: string;
  readonly columns: readonly string[];
  /** Which rows (SQL over the SQLite table); all when absent. */
  readonly where?: string;
}

const READY_DOCUMENTS = "document_id IN (SELECT id FROM documents WHERE status = 'ready')";

/** In order: a table comes after the tables it refers to. */
export const COPIED_TABLES: readonly CopiedTable[] = [
  {
    table: 'documents',
    columns: ['id', 'tenant', 'store_key', 'name', 'sha256', 'bytes', 'pages', 'chunks', 'ocr_pages', 'status', 'uploaded_by_id', 'uploaded_by_name', 'link', 'created_at', 'indexed_at', 'terms_saved'],
    where: "status = 'ready'",
  },
  { table: 'document_terms', columns: ['document_id', 'token', 'passages'], where: READY_DOCUMENTS },
  { table: 'document_origins', columns: ['origin', 'document_id', 'posting'], where: READY_DOCUMENTS },
  { table: 'answers', columns: ['id', 'tenant', 'question', 'answer', 'grounded', 'model', 'asked_by', 'created_at', 'sources'] },
  { table: 'feedback', columns: ['answer_id', 'user_id', 'rating', 'created_at'] },
  { table: 'channel_settings', columns: ['tenant', 'key', 'value', 'updated_by', 'updated_at'] },
  {
    table: 'digest_schedules',
    columns: ['id', 'platform', 'workspace', 'channel', 'spec', 'expression', 'timezone', 'description', 'channels', 'created_by_id', 'created_by_name', 'created_at', 'source', 'removed_at'],
  },
  { table: 'digest_runs', columns: ['schedule_id', 'period', 'status', 'late', 'owner', 'started_at', 'covered_until', 'finished_at', 'message', 'detail'] },
  { table: 'conversation_turns', columns: ['key', 'question', 'answer', 'at'] },
  { table: 'channel_departures', columns: ['tenants', 'reason', 'at'] },
];

export type TableRow = Readonly<Record<string, unknown>>;

/** A passage as the SQLite store keeps it, vector decoded, with the model that made the vector. */
export type ExportedPassage = Omit<StoredChunk, 'sparse' | 'ocr'> & { readonly embedModel: string | undefined; readonly ocr: boolean };

export interface SqliteExport {
  /** The rows of a copied table, oldest first where that matters (conversation turns). */
  rows(table: CopiedTable): TableRow[];
  /** Documents a crash left being indexed or deleted (not copied). */
  unfinishedDocuments(): number;
  /** A document's passages in order. */
  passages(documentId: string): ExportedPassage[];
}

interface PassageRow extends PassageFields {
  id: string;
  tokens: string;
  embed_model: string | null;
  vector: Buffer | null;
  ocr: number;
}

export function sqliteExport(db: SqliteDatabase): SqliteExport {
  return {
    rows(table) {
      const order = table.table === 'conversation_turns' ? ' ORDER BY seq' : '';
      return db.prepare(`SELECT ${table.columns.join(', ')} FROM ${table.table}${table.where ? ` WHERE ${table.where}` : ''}${order}`).all() as TableRow[];
    },
    unfinishedDocuments() {
      return (db.prepare(`SELECT count(*) AS n FROM documents WHERE status <> 'ready'`).get() as { n: number }).n;
    },
    passages(documentId) {
      const rows = db.prepare(`SELECT id, tenant, document_id, file, ordinal, page, heading, text, tokens, embed_model, vector, ocr FROM chunks WHERE document_id = ? ORDER BY ordinal`).all(documentId) as PassageRow[];
      return rows.map((row) => ({
        id: row.id,
        tenant: row.tenant,
        documentId: row.document_id,
        file: row.file,
        ordinal: row.ordinal,
        page: row.page,
        heading: row.heading ?? undefined,
        text: row.text,
        tokens: row.tokens,
        embedModel: row.embed_model ?? undefined,
        vector: row.vector ? toFloats(row.vector) : undefined,
        ocr: row.ocr === 1,
      }));
    },
  };
}
