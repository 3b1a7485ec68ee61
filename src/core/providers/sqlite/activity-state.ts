import type { ActivityEvent, ActivityState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Activity for the admin page in the SQLite file. */
export class SqliteActivityState implements ActivityState {
  constructor(private readonly db: SqliteDatabase) {}

  async add(e: ActivityEvent): Promise<void> {
    this.db
      .prepare(`INSERT INTO activity (at, tenant, kind, provider, subject, purpose, outcome, code, detail, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.at.toISOString(), e.tenant, e.kind, e.provider, e.subject, e.purpose, e.outcome, e.code ?? null, e.detail ?? null, e.ms === undefined ? null : Math.round(e.ms));
  }

  async prune(before: Date): Promise<number> {
    return this.db.prepare(`DELETE FROM activity WHERE at < ?`).run(before.toISOString()).changes;
  }
}

