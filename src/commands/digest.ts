import { isTimeZone } from '../core/public-surface.js';
import { formatInZone } from '../core/public-surface.js';
import type { DigestSchedule } from '../core/ports/state-store.js';
import { defineCommand, type CommandContext } from './types.js';

/** Channel references as the platforms write them: Discord <#123>, Slack <#C123|general> (ids), or #name (looked up). */
const CHANNEL = /^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$|^#([\w.-]+)$/;
const ZONE_LIKE = /^(UTC|GMT|[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+)$/i;

/**
 * What was given for `set`, from separate options (Discord) or one line of words (Slack, console):
 * channel references, a time-zone-looking word, and the rest is the schedule.
 */
export function parseSetWords(text: string): { when: string; timezone: string | undefined; channels: string[] } {
  const channels: string[] = [];
  const rest: string[] = [];
  let timezone: string | undefined;
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const channel = CHANNEL.exec(word);
    if (channel) channels.push(channel[1] ?? `#${channel[2] ?? ''}`);
    else if (timezone === undefined && ZONE_LIKE.test(word) && (isTimeZone(word) || word.includes('/'))) timezone = word;
    else rest.push(word);
  }
  return { when: rest.join(' '), timezone, channels };
}

async function describe(context: CommandContext, s: DigestSchedule, next: Date | undefined): Promise<string> {
  const labels = await context.core.digests.labels(s);
  const when = `${s.description} (${s.timezone})`;
  const nextText = next ? `next ${formatInZone(next, s.timezone)}` : 'no next run';
  const by = s.source === 'config' ? 'from the config file' : `set by ${s.createdBy.name}`;
  return `\`${s.id}\` ${when}, recapping ${labels.join(', ')} — ${nextText}; ${by}`;
}

export const digestCommand = defineCommand({
  name: 'digest',
  description: 'Scheduled recaps of channels, posted here',
  options: [],
  subcommands: [
    {
      name: 'set',
      description: 'Post a recap here on a schedule',
      options: [
        { name: 'when', description: 'daily 09:00, weekdays 09:00, weekly mon 09:00, or a cron expression', type: 'string', required: true, maxLength: 200 },
        { name: 'timezone', description: 'An IANA time zone such as Europe/Brussels (default: the server’s)', type: 'string', required: false, maxLength: 64 },
        { name: 'channels', description: 'Channels to recap (default: this one)', type: 'string', required: false, maxLength: 1000 },
      ],
    },
    { name: 'list', description: 'The digests posted in this channel', options: [] },
    { name: 'off', description: 'Stop a digest', options: [{ name: 'id', description: 'The digest’s id (see /digest list)', type: 'string', required: true, maxLength: 40 }] },
    { name: 'now', description: 'Preview the digest privately, now', options: [{ name: 'id', description: 'Which digest (default: the first here)', type: 'string', required: false, maxLength: 40 }] },
  ],
  privateSubcommands: ['list', 'now'],
  needs: { right: 'manage', restricted: { set: 'set digests', off: 'stop digests' } },
  help:
    'Examples: /digest set weekdays 09:00 Europe/Brussels #general #design · /digest set weekly mon 08:30 · /digest set 0 17 * * 5 · /digest list · /digest off a1b2c3 · /digest now. ' +
    'A digest recaps what happened since the previous one: a summary of each channel, the documents indexed and the questions asked. Setting and stopping digests needs the right to manage the channel.',
  async run(options, context) {
    const digests = context.core.digests;
    switch (options.subcommand) {
      case 'set': {
        const words = parseSetWords([options.when, options.timezone, options.channels].filter((v) => typeof v === 'string').join(' '));
        const { schedule, next } = await digests.create({
          scope: context.scope,
          when: words.when,
          timezone: words.timezone,
          channels: words.channels,
          creator: context.user,
        });
        return { text: `✅ Digest set: ${await describe(context, schedule, next)}.\nIt is posted in this channel; /digest now previews it.`, data: { id: schedule.id, expression: schedule.expression, timezone: schedule.timezone, channels: schedule.channels, next: next?.toISOString() ?? null } };
      }
      case 'off': {
        const removed = await digests.remove(context.scope, String(options.id));
        return { text: `Digest \`${removed.id}\` (${removed.description}) is off.`, data: { id: removed.id } };
      }
      case 'now': {
        const preview = await digests.preview(context.scope, context.user, typeof options.id === 'string' ? options.id : undefined, context.signal);
        return { text: preview.markdown, ephemeral: true, data: { quiet: preview.quiet, failures: preview.failures } };
      }
      default: {
        const listed = await digests.list(context.scope);
        const lines = await Promise.all(listed.map((l) => describe(context, l.schedule, l.next)));
        return {
          text: listed.length === 0 ? 'No digests are posted in this channel. Set one with /digest set weekdays 09:00.' : ['Digests posted in this channel:', ...lines.map((l) => `• ${l}`)].join('\n'),
          ephemeral: true,
          data: { digests: listed.map((l) => ({ id: l.schedule.id, expression: l.schedule.expression, timezone: l.schedule.timezone, channels: l.schedule.channels, next: l.next?.toISOString() ?? null })) },
        };
      }
    }
  },
});
