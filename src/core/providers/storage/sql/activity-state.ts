import type { ActivityEvent, ActivityState } from '../../../ports/state-store.js';
import type { SqlRunner } from './sql-runner.js';

/** Activity for the admin page: on PostgreSQL, every replica's calls and ingests in one place. */
export class SqlActivityState implements ActivityState {
  constructor(private readonly db: SqlRunner) {}

  async add(e: ActivityEvent): Promise<void> {
    await this.db.run(`INSERT INTO activity (at, tenant, kind, provider, subject, purpose, outcome, code, detail, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      e.at,
      e.tenant,
      e.kind,
      e.provider,
      e.subject,
      e.purpose,
      e.outcome,
      e.code ?? null,
      e.detail ?? null,
      e.ms === undefined ? null : Math.round(e.ms),
    ]);
  }

  async prune(before: Date): Promise<number> {
    return this.db.run(`DELETE FROM activity WHERE at < ?`, [before]);
  }
}
