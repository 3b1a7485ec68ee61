import { DELIVERY_MEMORY_MS, PRUNE_EVERY } from '../../deliveries.js';
import type { DeliveryState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Deliveries taken on, in the SQLite file: a retry that arrives after a restart still runs once. */
export class SqliteDeliveryState implements DeliveryState {
  private calls = 0;
  private readonly insert;
  private readonly prune;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(`INSERT INTO deliveries (source, id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`);
    this.prune = db.prepare(`DELETE FROM deliveries WHERE at < ?`);
  }

  async first(source: string, id: string, at: Date): Promise<boolean> {
    if (++this.calls % PRUNE_EVERY === 0) this.prune.run(new Date(at.getTime() - DELIVERY_MEMORY_MS).toISOString());
    return this.insert.run(source, id, at.toISOString()).changes > 0;
  }
}
