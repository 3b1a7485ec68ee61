import type { ActivityEvent, ActivityState } from '../../state.js';
import type { PgPool } from './database.js';

/** Activity for the admin page in PostgreSQL: every replica's calls and ingests in one place. */
export class PostgresActivityState implements ActivityState {
  constructor(private readonly pool: PgPool) {}

  async add(e: ActivityEvent): Promise<void> {
    await this.pool.query(`INSERT INTO activity (at, tenant, kind, provider, subject, purpose, outcome, code, detail, ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
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
    const { rowCount } = await this.pool.query(`DELETE FROM activity WHERE at < $1`, [before]);
    return rowCount ?? 0;
  }
}

