import type { SettingsState } from '../../state.js';
import type { PgPool } from './database.js';

/** Channel settings in PostgreSQL. */
export class PostgresSettingsState implements SettingsState {
  constructor(private readonly pool: PgPool) {}

  async read(tenant: string, key: string): Promise<{ value: string; updatedBy: string } | undefined> {
    const { rows } = await this.pool.query<{ value: string; updated_by: string }>(`SELECT value, updated_by FROM channel_settings WHERE tenant = $1 AND key = $2`, [tenant, key]);
    return rows[0] ? { value: rows[0].value, updatedBy: rows[0].updated_by } : undefined;
  }

  async write(tenant: string, key: string, value: string, updatedBy: string, at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO channel_settings (tenant, key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [tenant, key, value, updatedBy, at],
    );
  }
}
