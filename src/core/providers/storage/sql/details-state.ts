import { PRUNE_EVERY, type DetailsRow, type DetailsState } from '../../../ports/state-store.js';
import { readDate, type SqlRunner } from './sql-runner.js';

/** Replies' details: on PostgreSQL, a Details button pressed on any replica finds them. */
export class SqlDetailsState implements DetailsState {
  private calls = 0;

  constructor(private readonly db: SqlRunner) {}

  async save(row: DetailsRow, forgetBefore: Date): Promise<void> {
    if (++this.calls % PRUNE_EVERY === 0) await this.db.run(`DELETE FROM reply_details WHERE at < ?`, [forgetBefore]);
    await this.db.run(`INSERT INTO reply_details (id, tenant, user_id, details, at) VALUES (?, ?, ?, ?, ?)`, [row.id, row.tenant, row.userId, row.details, row.at]);
  }

  async get(id: string): Promise<DetailsRow | undefined> {
    const row = await this.db.get<{ id: string; tenant: string; user_id: string; details: string; at: string | Date }>(`SELECT id, tenant, user_id, details, at FROM reply_details WHERE id = ?`, [id]);
    return row && { id: row.id, tenant: row.tenant, userId: row.user_id, details: row.details, at: readDate(row.at) };
  }
}
