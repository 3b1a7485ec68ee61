import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { BadInputError, NotConfiguredError } from '../core/ports/errors.js';
import { documentTerms } from '../core/lib/tokenizer.js';
import type { VectorStore } from '../core/ports/ports.js';
import { existingDocuments, importRows, type ImportedTable } from '../core/providers/storage/postgres/import-rows.js';
import { openSqliteDatabase } from '../core/providers/storage/sqlite/database.js';
import { COPIED_TABLES, sqliteExport, type ExportedPassage, type SqliteExport, type TableRow } from '../core/providers/storage/sqlite/export.js';
import type { StoredChunk } from '../core/ports/types.js';
import { wireStorage } from './storage.js';

/** The SQLite store's key in the registry (documents whose passages live in the SQLite file). */
const SQLITE_STORE = 'sqlite';
const UPSERT_BATCH = 500;

export interface MigrationReport {
  readonly from: string;
  readonly to: string;
  /** Where passages went (the store's description). */
  readonly passagesInto: string;
  readonly tables: readonly ImportedTable[];
  readonly passages: number;
  /** Passages whose vector was left out: made by another embedding model, or GEMINI_API_KEY is unset. */
  readonly vectorsDropped: number;
  /** Documents a crash left half-indexed in SQLite, not copied. */
  readonly unfinished: number;
  /** Documents whose passages are in a Qdrant collection the new configuration does not use. */
  readonly elsewhere: number;
}

/**
 * `npm run migrate:postgres`: copies a SQLite install (DATA_DIR/docent.db) into the PostgreSQL
 * database DATABASE_URL names — documents with their passages, digest schedules and runs,
 * settings, answers and ratings, follow-up memory. Passages go where Docent will look for them
 * with this configuration: Qdrant with QDRANT_URL, else PostgreSQL; those already in Qdrant stay
 * there. Passages are written first, then every table in one transaction, and rows already in
 * PostgreSQL are kept: an interrupted copy is simply run again. The SQLite file is not changed
 * (beyond the schema update any start of Docent makes).
 */
export async function migrateSqliteToPostgres(config: Config, progress: (line: string) => void = () => undefined): Promise<MigrationReport> {
  if (!config.database.url) throw new NotConfiguredError('DATABASE_URL', 'Set DATABASE_URL to the PostgreSQL database to copy into (postgres://user:password@host:5432/db).');
  const file = path.join(config.dataDir, 'docent.db');
  if (!fs.existsSync(file)) throw new BadInputError('no_sqlite', `There is no Docent database at ${file}. Set DATA_DIR to the folder that holds docent.db (in docker compose, the docent-data volume is /data).`);
  const sqlite = openSqliteDatabase(config.dataDir);
  const embedding = config.gemini.apiKey ? { model: config.gemini.embeddingModel, dimensions: config.gemini.embeddingDimensions } : undefined;
  const storage = wireStorage(config, embedding, { database: sqlite });
  const pool = storage.pool;
  try {
    if (!pool) throw new Error('DATABASE_URL is set but no PostgreSQL pool was opened');
    await storage.state.init();
    await storage.store.init();
    const source = sqliteExport(sqlite);
    const documents = source.rows(COPIED_TABLES[0]);
    const present = await existingDocuments(pool, documents.map((d) => String(d.id)));
    const moved = documents.filter((d) => d.store_key === SQLITE_STORE);
    const passages = await copyPassages(source, storage.store, moved.filter((d) => !present.has(String(d.id))), embedding, progress);
    const tables = await importRows(
      pool,
      COPIED_TABLES.map((table) => ({ table, rows: table.table === 'documents' ? documents.map((d) => (d.store_key === SQLITE_STORE ? { ...d, store_key: storage.store.key } : d)) : source.rows(table) })),
    );
    const elsewhere = documents.filter((d) => d.store_key !== SQLITE_STORE && d.store_key !== storage.store.key).length;
    return { from: file, to: storage.state.description, passagesInto: storage.store.description, tables, ...passages, unfinished: source.unfinishedDocuments(), elsewhere };
  } finally {
    await storage.close();
    sqlite.close();
  }
}

async function copyPassages(source: SqliteExport, store: VectorStore, documents: readonly TableRow[], embedding: { model: string; dimensions: number } | undefined, progress: (line: string) => void) {
  let passages = 0;
  let vectorsDropped = 0;
  for (const [i, document] of documents.entries()) {
    const rows = source.passages(String(document.id));
    const chunks = rows.map((row) => {
      const keep = embedding !== undefined && row.embedModel === embedding.model && row.vector?.length === embedding.dimensions;
      if (row.vector && !keep) vectorsDropped++;
      return storedChunk(row, keep ? row.vector : undefined);
    });
    for (let j = 0; j < chunks.length; j += UPSERT_BATCH) await store.upsert(chunks.slice(j, j + UPSERT_BATCH));
    passages += chunks.length;
    progress(`  ${i + 1}/${documents.length} ${String(document.name)}: ${chunks.length} passages`);
  }
  return { passages, vectorsDropped };
}

function storedChunk(row: ExportedPassage, vector: Float32Array | undefined): StoredChunk {
  return {
    id: row.id,
    tenant: row.tenant,
    documentId: row.documentId,
    file: row.file,
    ordinal: row.ordinal,
    page: row.page,
    heading: row.heading,
    text: row.text,
    tokens: row.tokens,
    sparse: documentTerms(row.tokens.split(' ').filter((t) => t.length > 0)),
    vector,
    ...(row.ocr ? { ocr: true } : {}),
  };
}
