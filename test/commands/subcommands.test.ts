import { describe, expect, it } from 'vitest';
import { settingsCommand } from '../../src/commands/settings.js';
import { textOptions } from '../../src/commands/text-options.js';
import { validateOptions } from '../../src/commands/run-command.js';
import { usage } from '../../src/commands/types.js';

describe('commands with verbs (subcommands) and choices', () => {
  it('typed text picks the verb from the first word and fills that verb’s options', async () => {
    expect(await textOptions(settingsCommand, 'alttext on')).toEqual({ subcommand: 'alttext', state: 'on' });
    expect(await textOptions(settingsCommand, 'show')).toEqual({ subcommand: 'show' });
    expect(validateOptions(settingsCommand, { subcommand: 'alttext', state: 'ON' })).toEqual({ subcommand: 'alttext', state: 'on' });
  });

  it('names the verbs when none or an unknown one is given, and the choices when a value is not one', async () => {
    expect(() => validateOptions(settingsCommand, {})).toThrow(/\/settings needs one of: show, alttext, forgetdeleted, ai, versionsummary \(none was given\)/);
    expect(() => validateOptions(settingsCommand, { subcommand: 'colour' })).toThrow(/“colour” is not one of them/);
    expect(() => validateOptions(settingsCommand, { subcommand: 'alttext', state: 'maybe' })).toThrow(/state must be one of on, off/);
    await expect(textOptions(settingsCommand, 'show extra')).rejects.toThrow(/\/settings show takes no arguments/);
    expect(usage(settingsCommand)).toBe('/settings show | /settings alttext <on|off> | /settings forgetdeleted <on|off> | /settings ai <on|off> | /settings versionsummary <on|off>');
  });
});
