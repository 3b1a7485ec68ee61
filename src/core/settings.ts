import type { SettingsState } from './state.js';
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

export function createChannelSettings(state: SettingsState, now: () => Date): ChannelSettings {
  const get = (scope: Scope, name: SettingName) => {
    const row = state.read(tenantKey(scope), name);
    return row === undefined ? CHANNEL_SETTINGS[name] : row.value === 'on';
  };
  return {
    get,
    set(scope, name, value, by) {
      state.write(tenantKey(scope), name, value ? 'on' : 'off', by.name, now());
    },
    list(scope) {
      return (Object.keys(CHANNEL_SETTINGS) as SettingName[]).map((name) => ({ name, value: get(scope, name), updatedBy: state.read(tenantKey(scope), name)?.updatedBy }));
    },
  };
}
