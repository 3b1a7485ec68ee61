import { PRUNE_EVERY } from '../../deliveries.js';
import type { DetailsRow, DetailsState } from '../../state.js';
import type { PgPool } from './database.js';

/** Replies' details in PostgreSQL: a Details button pressed on any replica finds them. */
export class PostgresDetailsState implements DetailsState {
  private calls = 0;

  constructor(private readonly pool: PgPool) {}

  async save(row: DetailsRow, forgetBefore: Date): Promise<void> {
    if (++this.calls % PRUNE_EVERY === 0) await this.pool.query(`DELETE FROM reply_details WHERE at < $1`, [forgetBefore]);
    await this.pool.query(`INSERT INTO reply_details (id, tenant, user_id, details, at) VALUES ($1, $2, $3, $4, $5)`, [row.id, row.tenant, row.userId, row.details, row.at]);
  }

  async get(id: string): Promise<DetailsRow | undefined> {
    const { rows } = await this.pool.query<{ id: string; tenant: string; user_id: string; details: string; at: Date }>(`SELECT id, tenant, user_id, details, at FROM reply_details WHERE id = $1`, [id]);
    const row = rows[0];
    return row && { id: row.id, tenant: row.tenant, userId: row.user_id, details: row.details, at: row.at };
  }
}
