import { BadInputError, NotConfiguredError } from '../core/ports/errors.js';
import { defineCommand } from './types.js';

/** Each on/off setting: its verb's description, what changing it is (for refusals), what it says when changed, and what the platform must allow to turn it on. */
const TOGGLES = {
  alttext: {
    description: 'Describe every image posted here (alt text for screen readers)',
    restricted: 'change how this channel handles images',
    on: '✅ Alt text is on: Docent will describe every image posted in this channel.',
    off: 'Alt text is off: Docent describes images here only when asked.',
    needs: { reason: 'alttext', variable: 'DISCORD_MESSAGE_CONTENT' },
  },
  forgetdeleted: {
    description: 'Forget a document when the message it was posted in is deleted (on by default)',
    restricted: 'change what happens to documents whose message is deleted',
    on: '✅ Documents are forgotten here when the message they were posted in is deleted.',
    off: 'Documents stay indexed here when the message they were posted in is deleted; /forget removes them.',
    needs: undefined,
  },
  ai: {
    description: 'Let model providers (Groq, Gemini) receive this channel’s content (on by default)',
    restricted: 'change whether model providers receive this channel’s content',
    on: '✅ Model providers are on in this channel: its questions, documents, messages and images may be sent to the providers below for answers, summaries and images.',
    off:
      'Model providers are off in this channel: nothing from it is sent to Groq or Gemini. /ask quotes passages, /summarize and digests list representative messages, images are only read offline (ocr), alt text is off, and new documents are indexed without embeddings.',
    needs: undefined,
  },
  versionsummary: {
    description: 'Say what changed when a new version of a document is posted (off by default)',
    restricted: 'change what Docent says about new versions of documents',
    on: '✅ When a new version of a document is posted here, Docent says what changed in it.',
    off: 'New versions of documents are indexed without a summary of what changed; /diff shows it.',
    needs: undefined,
  },
} as const;

const TOGGLE_NAMES = ['alttext', 'forgetdeleted', 'ai', 'versionsummary'] as const satisfies readonly (keyof typeof TOGGLES)[];
const ON_OFF = [{ name: 'state', description: 'on or off', type: 'string', required: true, choices: ['on', 'off'] }] as const;

export const settingsCommand = defineCommand({
  name: 'settings',
  description: "Show or change this channel's Docent settings",
  options: [],
  subcommands: [
    { name: 'show', description: "This channel's settings", options: [] },
    ...TOGGLE_NAMES.map((name) => ({ name, description: TOGGLES[name].description, options: ON_OFF })),
  ],
  privateSubcommands: ['show'],
  needs: { right: 'manage', restricted: Object.fromEntries(TOGGLE_NAMES.map((name) => [name, TOGGLES[name].restricted])) },
  help:
    'alttext on: Docent replies to every image posted in this channel with a description, as alt text for people using screen readers. ' +
    'forgetdeleted off: a document stays indexed when the message it was posted in is deleted (on by default: it is forgotten). ' +
    'versionsummary on: when a file is posted again under the same name, Docent replies with what changed (as /diff does). ' +
    'ai off: nothing from this channel is sent to a model provider (answers quote passages, summaries list messages, images are read offline). Changing settings needs the right to manage the channel.',
  async run(options, context) {
    const name = options.subcommand;
    if (name !== 'show') {
      const toggle = TOGGLES[name];
      const on = options.state === 'on';
      const unavailable = toggle.needs ? context.unavailable[toggle.needs.reason] : undefined;
      if (on && unavailable && toggle.needs) throw new NotConfiguredError(toggle.needs.variable, unavailable);
      if (on && name === 'alttext' && !(await context.core.settings.get(context.scope, 'ai'))) {
        throw new BadInputError('ai_off', 'Alt text needs a model provider, and model providers are off in this channel. A manager can turn them on with /settings ai on.');
      }
      await context.core.settings.set(context.scope, name, on, context.user);
      return { text: on ? toggle.on : toggle.off, data: { [name]: on } };
    }
    const settings = await context.core.settings.list(context.scope);
    const ai = settings.find((s) => s.name === 'ai')?.value ?? true;
    // Which provider receives what: nothing at all from a channel with model providers off.
    const flows = (await context.core.capabilities()).filter((c) => c.name.startsWith('sent to '));
    const sent = ai ? flows.map((f) => `• ${f.name}: ${f.detail}`) : ['• sent to no one: model providers are off in this channel (/settings ai on lets them in)'];
    return {
      text: ['Settings for this channel:', ...settings.map((s) => `• ${s.name}: ${s.value ? 'on' : 'off'}${s.updatedBy ? ` (set by ${s.updatedBy})` : ''}`), '', 'What leaves Docent from this channel:', ...sent].join('\n'),
      data: { ...Object.fromEntries(settings.map((s) => [s.name, s.value])), sentTo: ai ? Object.fromEntries(flows.map((f) => [f.name.slice('sent to '.length), f.detail])) : {} },
      ephemeral: true,
    };
  },
});
