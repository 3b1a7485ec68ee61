import type { SqliteDatabase } from './providers/sqlite-database.js';
import { tenantKey, type Actor, type Scope } from './types.js';

/** Per-channel switches, with their defaults. */
export const CHANNEL_SETTINGS = {
  /** Describe every image posted in the channel (alt text for people using screen readers). */
  alttext: false,
} as const;

export type SettingName = keyof typeof CHANNEL_SETTINGS;

export interface ChannelSettings {
  get(scope: Scope, name: SettingName): boolean;
  set(scope: Scope, name: SettingName, value: boolean, by: Actor): void;
  /** Every setting of the channel with its value and who last changed it. */
  list(scope: Scope): { name: SettingName; value: boolean; updatedBy: string | undefined }[];
}

export function createChannelSettings(db: SqliteDatabase, now: () => Date): ChannelSettings {
  const read = db.prepare<[string, string], { value: string; updated_by: string }>(`SELECT value, updated_by FROM channel_settings WHERE tenant = ? AND key = ?`);
  const write = db.prepare(
    `INSERT INTO channel_settings (tenant, key, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const get = (scope: Scope, name: SettingName) => {
    const row = read.get(tenantKey(scope), name);
    return row === undefined ? CHANNEL_SETTINGS[name] : row.value === 'on';
  };
  return {
    get,
    set(scope, name, value, by) {
      write.run(tenantKey(scope), name, value ? 'on' : 'off', by.name, now().toISOString());
    },
    list(scope) {
      return (Object.keys(CHANNEL_SETTINGS) as SettingName[]).map((name) => ({ name, value: get(scope, name), updatedBy: read.get(tenantKey(scope), name)?.updated_by }));
    },
  };
}
