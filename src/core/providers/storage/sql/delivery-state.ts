import { DELIVERY_MEMORY_MS, PRUNE_EVERY, type DeliveryState } from '../../../ports/state-store.js';
import type { SqlRunner } from './sql-runner.js';

/**
 * Deliveries taken on, in the database: a retry that arrives after a restart still runs once, and
 * on PostgreSQL the primary key lets exactly one replica take each.
 */
export class SqlDeliveryState implements DeliveryState {
  private calls = 0;

  constructor(private readonly db: SqlRunner) {}

  async first(source: string, id: string, at: Date): Promise<boolean> {
    if (++this.calls % PRUNE_EVERY === 0) await this.db.run(`DELETE FROM deliveries WHERE at < ?`, [new Date(at.getTime() - DELIVERY_MEMORY_MS)]);
    return (await this.db.run(`INSERT INTO deliveries (source, id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, [source, id, at])) > 0;
  }
}
