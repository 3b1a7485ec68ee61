import { createHash, randomBytes } from 'node:crypto';
import { BadInputError, isDocentError, NotConfiguredError } from '../ports/errors.js';
import type { Clock, DigestPlatform, Logger } from '../ports/ports.js';
import type { DigestSchedule, DigestState } from '../ports/state-store.js';
import type { Actor, Scope } from '../ports/types.js';
import { nextOccurrence, parseWhen, type CronSchedule } from './cron.js';
import { cronOf } from './digest-runner.js';

/** A schedule from the operator's file (DIGEST_SCHEDULES_FILE), already read and checked for shape. */
export interface ConfiguredSchedule {
  readonly platform: string;
  readonly workspace: string;
  readonly channel: string;
  readonly when: string;
  readonly timezone?: string | undefined;
  readonly channels?: readonly string[] | undefined;
  readonly createdBy?: string | undefined;
}

export interface DigestSchedulesDeps {
  readonly store: DigestState;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The zone of schedules that name none (DIGEST_TIMEZONE). */
  readonly timezone: string;
  readonly platforms: ReadonlyMap<string, DigestPlatform>;
  /** A schedule was added or removed: its ticks start or stop. */
  readonly onAdded: (s: DigestSchedule) => void;
  readonly onRemoved: (id: string) => void;
}

export interface DigestSchedules {
  create(input: { scope: Scope; when: string; timezone?: string; channels?: readonly string[]; creator: Actor }): Promise<{ schedule: DigestSchedule; next: Date | undefined }>;
  list(scope: Scope): Promise<{ schedule: DigestSchedule; next: Date | undefined }[]>;
  remove(scope: Scope, id: string): Promise<DigestSchedule>;
  labels(schedule: DigestSchedule): Promise<string[]>;
  /** Makes the config-file schedules exactly `entries` (`file` names them in messages). */
  syncConfigured(entries: readonly ConfiguredSchedule[], file: string): Promise<void>;
  platformFor(name: string): DigestPlatform;
}

/** Digest schedules set in chat (checked against what the creator may read) or by the operator's file. */
export function createDigestSchedules(deps: DigestSchedulesDeps): DigestSchedules {
  const { store, clock, logger, platforms } = deps;
  const settings = { timezone: deps.timezone };
  const next = (s: DigestSchedule) => nextOccurrence(cronOf(s), clock.now());
  const platformFor = (name: string): DigestPlatform => {
    const platform = platforms.get(name);
    if (!platform) throw new NotConfiguredError(name.toUpperCase(), `Digests for ${name} need the ${name} bot to be running.`);
    return platform;
  };

  return {
    platformFor,

    async create({ scope, when, timezone, channels, creator }) {
      const cron = parseWhen(when, timezone ?? settings.timezone);
      const platform = platformFor(scope.platform);
      const recapped = await recappedChannels(platform, scope, channels, creator);
      const same = (await store.list({ platform: scope.platform, workspace: scope.workspace, channel: scope.channel })).find((x) => x.expression === cron.expression && x.timezone === cron.timezone && x.channels.join(' ') === recapped.join(' '));
      if (same) throw new BadInputError('digest_exists', `This digest is already set here as ${same.id} (${same.description}, ${same.timezone}). /digest list shows it.`);
      let s: DigestSchedule = {
        id: randomBytes(3).toString('hex'),
        platform: scope.platform,
        workspace: scope.workspace,
        channel: scope.channel,
        spec: when,
        ...cron,
        channels: recapped,
        createdBy: creator,
        createdAt: clock.now(),
        source: 'chat',
      };
      // Short ids people can type; one already taken (even by a removed schedule) is drawn again.
      for (let attempt = 0; !(await store.save(s)); attempt++) {
        if (attempt >= 20) throw new Error('could not find a free digest id');
        s = { ...s, id: randomBytes(3).toString('hex') };
      }
      deps.onAdded(s);
      logger.info({ schedule: s.id, expression: s.expression, timezone: s.timezone, channels: recapped.length }, 'digest scheduled');
      return { schedule: s, next: next(s) };
    },

    async list(scope) {
      return (await store.list({ platform: scope.platform, workspace: scope.workspace, channel: scope.channel })).map((s) => ({ schedule: s, next: next(s) }));
    },

    async remove(scope, id) {
      const s = await store.get(id.trim().toLowerCase());
      if (!s || s.platform !== scope.platform || s.workspace !== scope.workspace || s.channel !== scope.channel) {
        throw new BadInputError('unknown_digest', `No digest “${id}” posts in this channel. /digest list shows the ones that do.`);
      }
      if (s.source === 'config') throw new BadInputError('config_digest', `Digest ${s.id} comes from the operator’s DIGEST_SCHEDULES_FILE; it is removed there.`);
      await store.remove(s.id, clock.now());
      deps.onRemoved(s.id);
      return s;
    },

    async labels(s) {
      const platform = platforms.get(s.platform);
      return Promise.all(s.channels.map((c) => (platform ? platform.channelLabel(s.workspace, c).catch(() => c) : Promise.resolve(c))));
    },

    async syncConfigured(entries, file) {
      const ids: string[] = [];
      for (const [i, entry] of entries.entries()) {
        const schedule = configuredSchedule(entry, i, file, settings.timezone, clock.now());
        ids.push(schedule.id);
        await store.save(schedule);
      }
      const removed = await store.removeConfigSchedulesExcept(ids, clock.now());
      logger.info({ file, schedules: ids.length, removed }, 'digest schedules loaded from the config file');
    },
  };
}

/**
 * The channels a digest recaps, as ids: mentions are ids already, "#name" (typed) is looked up on
 * the platform. At most 20, and only channels the creator can read.
 */
async function recappedChannels(platform: DigestPlatform, scope: Scope, channels: readonly string[] | undefined, creator: Actor): Promise<string[]> {
  const ids: string[] = [];
  for (const reference of channels && channels.length > 0 ? channels : [scope.channel]) {
    if (!reference.startsWith('#')) ids.push(reference);
    else {
      const id = await platform.findChannel(scope.workspace, reference.slice(1));
      if (!id) throw new BadInputError('unknown_channel', `Docent sees no channel called ${reference} here. Mention it (type # and pick it), and make sure Docent is in it.`);
      ids.push(id);
    }
  }
  const recapped = [...new Set(ids)];
  if (recapped.length > 20) throw new BadInputError('bad_channels', 'A digest recaps at most 20 channels.');
  const unreadable: string[] = [];
  for (const channel of recapped) {
    if (!(await platform.canRead(scope.workspace, creator.id, channel).catch(() => false))) unreadable.push(await platform.channelLabel(scope.workspace, channel).catch(() => channel));
  }
  if (unreadable.length > 0) {
    throw new BadInputError('channel_not_readable', `You cannot read ${unreadable.join(', ')} (or Docent cannot see it), so a digest you set cannot recap it.`);
  }
  return recapped;
}

/** One entry of the operator's file as a schedule; its id follows from what it says, so reloading the same file changes nothing. */
function configuredSchedule(entry: ConfiguredSchedule, index: number, file: string, timezone: string, now: Date): DigestSchedule {
  let cron: CronSchedule;
  try {
    cron = parseWhen(entry.when, entry.timezone ?? timezone);
  } catch (error) {
    throw new BadInputError('bad_schedules_file', `DIGEST_SCHEDULES_FILE (${file}), schedule ${index + 1}: ${isDocentError(error) ? error.userMessage : String(error)}`);
  }
  const channels = entry.channels ?? [entry.channel];
  const id = `cfg-${createHash('sha256').update(JSON.stringify([entry.platform, entry.workspace, entry.channel, cron.expression, cron.timezone, channels])).digest('hex').slice(0, 8)}`;
  return {
    id,
    platform: entry.platform,
    workspace: entry.workspace,
    channel: entry.channel,
    spec: entry.when,
    ...cron,
    channels,
    createdBy: { id: entry.createdBy ?? 'config', name: entry.createdBy ?? 'the operator (config file)' },
    createdAt: now,
    source: 'config',
  };
}
