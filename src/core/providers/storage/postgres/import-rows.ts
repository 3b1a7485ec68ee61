import type { CopiedTable, TableRow } from '../sqlite/export.js';
import { transaction, type PgClient, type PgPool } from './database.js';

/** Parameters per INSERT statement, under PostgreSQL's limit of 65,535. */
const MAX_PARAMETERS = 30_000;

export interface ImportedTable {
  readonly table: string;
  /** Rows offered. */
  readonly read: number;
  /** Rows written (the others were there already). */
  readonly copied: number;
}

/**
 * Writes rows read from a SQLite install into the same PostgreSQL tables, all in one
 * transaction: a failure leaves the database as it was. Rows already there (same key) are kept
 * as they are, so running the copy again adds nothing twice; conversation turns, which have no
 * key of their own, count as there when the same conversation has the same question at the same
 * instant.
 */
export async function importRows(pool: PgPool, tables: readonly { readonly table: CopiedTable; readonly rows: readonly TableRow[] }[]): Promise<ImportedTable[]> {
  return transaction(pool, async (client) => {
    const results: ImportedTable[] = [];
    for (const { table, rows } of tables) {
      let copied = 0;
      const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / table.columns.length));
      for (let i = 0; i < rows.length; i += perInsert) copied += await insert(client, table, rows.slice(i, i + perInsert));
      results.push({ table: table.table, read: rows.length, copied });
    }
    return results;
  });
}

async function insert(client: PgClient, table: CopiedTable, rows: readonly TableRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const start = values.length;
    for (const column of table.columns) values.push(row[column] ?? null);
    return `(${table.columns.map((_, j) => `$${start + j + 1}`).join(', ')})`;
  });
  const columns = table.columns.join(', ');
  if (table.table === 'conversation_turns') {
    const result = await client.query(
      `INSERT INTO conversation_turns (${columns})
       SELECT v.key, v.question, v.answer, v.at::timestamptz FROM (VALUES ${tuples.join(', ')}) AS v (${columns})
       WHERE NOT EXISTS (SELECT 1 FROM conversation_turns t WHERE t.key = v.key AND t.question = v.question AND t.at = v.at::timestamptz)`,
      values,
    );
    return result.rowCount ?? 0;
  }
  const result = await client.query(`INSERT INTO ${table.table} (${columns}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, values);
  return result.rowCount ?? 0;
}

/** Which of these document ids the PostgreSQL registry already holds. */
export async function existingDocuments(pool: PgPool, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM documents WHERE id = ANY($1::text[])`, [[...ids]]);
  return new Set(rows.map((r) => r.id));
}
