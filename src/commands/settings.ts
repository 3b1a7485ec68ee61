import { NotConfiguredError } from '../core/errors.js';
import { defineCommand } from './types.js';

export const settingsCommand = defineCommand({
  name: 'settings',
  description: "Show or change this channel's Docent settings",
  options: [],
  subcommands: [
    { name: 'show', description: "This channel's settings", options: [] },
    {
      name: 'alttext',
      description: 'Describe every image posted here (alt text for screen readers)',
      options: [{ name: 'state', description: 'on or off', type: 'string', required: true, choices: ['on', 'off'] }],
    },
  ],
  privateSubcommands: ['show'],
  needs: { right: 'manage', restricted: { alttext: 'change how this channel handles images' } },
  help: 'alttext on: Docent replies to every image posted in this channel with a description, as alt text for people using screen readers. Changing settings needs the right to manage the channel.',
  async run(options, context) {
    if (options.subcommand === 'alttext') {
      const on = options.state === 'on';
      const unavailable = context.unavailable.alttext;
      if (on && unavailable) throw new NotConfiguredError('DISCORD_MESSAGE_CONTENT', unavailable);
      await context.core.settings.set(context.scope, 'alttext', on, context.user);
      return {
        text: on
          ? '✅ Alt text is on: Docent will describe every image posted in this channel.'
          : 'Alt text is off: Docent describes images here only when asked.',
        data: { alttext: on },
      };
    }
    const settings = await context.core.settings.list(context.scope);
    return {
      text: ['Settings for this channel:', ...settings.map((s) => `• ${s.name}: ${s.value ? 'on' : 'off'}${s.updatedBy ? ` (set by ${s.updatedBy})` : ''}`)].join('\n'),
      data: Object.fromEntries(settings.map((s) => [s.name, s.value])),
      ephemeral: true,
    };
  },
});
