import type { SettingsState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Channel settings in the SQLite file. */
export class SqliteSettingsState implements SettingsState {
  private readonly readRow;
  private readonly writeRow;

  constructor(db: SqliteDatabase) {
    this.readRow = db.prepare<[string, string], { value: string; updated_by: string }>(`SELECT value, updated_by FROM channel_settings WHERE tenant = ? AND key = ?`);
    this.writeRow = db.prepare(
      `INSERT INTO channel_settings (tenant, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    );
  }

  async read(tenant: string, key: string): Promise<{ value: string; updatedBy: string } | undefined> {
    const row = this.readRow.get(tenant, key);
    return row ? { value: row.value, updatedBy: row.updated_by } : undefined;
  }

  async write(tenant: string, key: string, value: string, updatedBy: string, at: Date): Promise<void> {
    this.writeRow.run(tenant, key, value, updatedBy, at.toISOString());
  }
}
