import { DELIVERY_MEMORY_MS, PRUNE_EVERY } from '../../deliveries.js';
import type { DeliveryState } from '../../state.js';
import type { PgPool } from './database.js';

/** Deliveries taken on, in PostgreSQL: the primary key lets exactly one replica take each. */
export class PostgresDeliveryState implements DeliveryState {
  private calls = 0;

  constructor(private readonly pool: PgPool) {}

  async first(source: string, id: string, at: Date): Promise<boolean> {
    if (++this.calls % PRUNE_EVERY === 0) await this.pool.query(`DELETE FROM deliveries WHERE at < $1`, [new Date(at.getTime() - DELIVERY_MEMORY_MS)]);
    const result = await this.pool.query(`INSERT INTO deliveries (source, id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [source, id, at]);
    return (result.rowCount ?? 0) > 0;
  }
}
