import type { SettingsState } from '../../../ports/state-store.js';
import type { SqlRunner } from './sql-runner.js';

/** Channel settings. */
export class SqlSettingsState implements SettingsState {
  constructor(private readonly db: SqlRunner) {}

  async read(tenant: string, key: string): Promise<{ value: string; updatedBy: string } | undefined> {
    const row = await this.db.get<{ value: string; updated_by: string }>(`SELECT value, updated_by FROM channel_settings WHERE tenant = ? AND key = ?`, [tenant, key]);
    return row ? { value: row.value, updatedBy: row.updated_by } : undefined;
  }

  async write(tenant: string, key: string, value: string, updatedBy: string, at: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO channel_settings (tenant, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [tenant, key, value, updatedBy, at],
    );
  }
}
