import type { SettingsState } from './ports/state-store.js';
import { tenantKey, type Actor, type Scope } from './ports/types.js';

/** Per-channel switches, with their defaults. */
export const CHANNEL_SETTINGS = {
  /** Describe every image posted in the channel (alt text for people using screen readers). */
  alttext: false,
  /** Forget a document when the message (or Slack file) it was posted in is deleted. */
  forgetdeleted: true,
  /** When a new version of a document is posted, say what changed (with a written summary when a Gemini key is set). */
  versionsummary: false,
  /** Model providers may receive this channel's questions, documents, messages and images (off: everything stays local). */
  ai: true,
} as const;

export type SettingName = keyof typeof CHANNEL_SETTINGS;

export interface ChannelSettings {
  get(scope: Scope, name: SettingName): Promise<boolean>;
  set(scope: Scope, name: SettingName, value: boolean, by: Actor): Promise<void>;
  /** Every setting of the channel with its value and who last changed it. */
  list(scope: Scope): Promise<{ name: SettingName; value: boolean; updatedBy: string | undefined }[]>;
}

export function createChannelSettings(state: SettingsState, now: () => Date): ChannelSettings {
  const valueOf = (name: SettingName, row: { value: string } | undefined) => (row === undefined ? CHANNEL_SETTINGS[name] : row.value === 'on');
  const stored = async (scope: Scope, name: SettingName) => valueOf(name, await state.read(tenantKey(scope), name));
  // Alt text needs a model: with model providers off (ai), it is off too.
  const get = async (scope: Scope, name: SettingName) => (await stored(scope, name)) && (name !== 'alttext' || (await stored(scope, 'ai')));
  return {
    get,
    set: (scope, name, value, by) => state.write(tenantKey(scope), name, value ? 'on' : 'off', by.name, now()),
    async list(scope) {
      const names = Object.keys(CHANNEL_SETTINGS) as SettingName[];
      return Promise.all(
        names.map(async (name) => {
          const row = await state.read(tenantKey(scope), name);
          return { name, value: await get(scope, name), updatedBy: row?.updatedBy };
        }),
      );
    },
  };
}
