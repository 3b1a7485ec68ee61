import { PRUNE_EVERY } from '../../deliveries.js';
import type { DetailsRow, DetailsState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Replies' details in the SQLite file. */
export class SqliteDetailsState implements DetailsState {
  private calls = 0;

  constructor(private readonly db: SqliteDatabase) {}

  async save(row: DetailsRow, forgetBefore: Date): Promise<void> {
    if (++this.calls % PRUNE_EVERY === 0) this.db.prepare(`DELETE FROM reply_details WHERE at < ?`).run(forgetBefore.toISOString());
    this.db.prepare(`INSERT INTO reply_details (id, tenant, user_id, details, at) VALUES (?, ?, ?, ?, ?)`).run(row.id, row.tenant, row.userId, row.details, row.at.toISOString());
  }

  async get(id: string): Promise<DetailsRow | undefined> {
    const row = this.db.prepare(`SELECT id, tenant, user_id, details, at FROM reply_details WHERE id = ?`).get(id) as { id: string; tenant: string; user_id: string; details: string; at: string } | undefined;
    return row && { id: row.id, tenant: row.tenant, userId: row.user_id, details: row.details, at: new Date(row.at) };
  }
}
