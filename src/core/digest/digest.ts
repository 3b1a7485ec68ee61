import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { BadInputError, isDocentError, NotConfiguredError } from '../errors.js';
import type { FeedbackStore } from '../feedback.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Clock, DigestPlatform, Logger, Scheduler } from '../ports.js';
import type { SummaryService } from '../summarize/summarize.js';
import type { Actor, Scope } from '../types.js';
import { composeDigest, formatInZone, type ComposedDigest } from './compose.js';
import { nextOccurrence, parseWhen, previousOccurrence, type CronSchedule } from './cron.js';
import type { DigestSchedule, DigestState } from '../state.js';

export interface DigestSettings {
  readonly timezone: string;
  readonly catchUp: 'once' | 'skip';
  readonly quiet: 'note' | 'skip';
  readonly schedulesFile: string | undefined;
}

export interface DigestDeps {
  readonly store: DigestState;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly summaries: SummaryService;
  readonly knowledge: KnowledgeBase;
  readonly feedback: FeedbackStore;
  readonly logger: Logger;
  readonly settings: DigestSettings;
}

export type RunResult =
  | { readonly status: 'posted' | 'quiet' | 'skipped' | 'failed'; readonly period: Date; readonly late: boolean }
  | { readonly status: 'not-due' | 'already-run' | 'no-platform'; readonly period?: Date };

export interface DigestService {
  /** A bot offers its platform for digests (reading, posting, permission checks). */
  attach(platform: DigestPlatform): void;
  create(input: { scope: Scope; when: string; timezone?: string; channels?: readonly string[]; creator: Actor }): Promise<{ schedule: DigestSchedule; next: Date | undefined }>;
  /** Schedules posting in this channel, with their next run. */
  list(scope: Scope): { schedule: DigestSchedule; next: Date | undefined }[];
  remove(scope: Scope, id: string): DigestSchedule;
  /** The recapped channels as people see them ("#general"). */
  labels(schedule: DigestSchedule): Promise<string[]>;
  /** The digest this channel would get now (a schedule's, or the last day of this channel), not recorded. */
  preview(scope: Scope, creator: Actor, id?: string, signal?: AbortSignal): Promise<ComposedDigest>;
  /** Loads the schedules of DIGEST_SCHEDULES_FILE (once); throws with the file and entry at fault. */
  load(): void;
  /** Loads config-file schedules, recovers from a crash, starts the ticks and posts a missed run (once or skip). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** How many schedules there are, on every platform. */
  count(): number;
  /** Runs the schedule's latest due period if nobody has (what each tick does). */
  runDue(id: string): Promise<RunResult>;
}

/** A run started more than this after its instant is late (Docent was down, or the machine slept). */
const LATE_AFTER_MS = 2 * 60_000;
/** Ticks may fire a moment early; an instant this close ahead counts as due. */
const EARLY_TOLERANCE_MS = 5_000;
const POST_ATTEMPTS = 3;

const configFileSchema = z.array(
  z.object({
    platform: z.enum(['discord', 'slack', 'console']),
    workspace: z.string().min(1),
    channel: z.string().min(1),
    when: z.string().min(1),
    timezone: z.string().optional(),
    channels: z.array(z.string().min(1)).optional(),
    createdBy: z.string().optional(),
  }),
);

export function createDigestService(deps: DigestDeps): DigestService {
  const { store, clock, logger, settings } = deps;
  const owner = randomBytes(6).toString('hex');
  const platforms = new Map<string, DigestPlatform>();
  const tasks = new Map<string, { stop(): void }>();
  const inFlight = new Set<Promise<unknown>>();
  let started = false;
  let loaded = false;

  const cronOf = (s: DigestSchedule): CronSchedule => ({ expression: s.expression, timezone: s.timezone, description: s.description });
  const next = (s: DigestSchedule) => nextOccurrence(cronOf(s), clock.now());

  const schedule = (s: DigestSchedule) => {
    tasks.get(s.id)?.stop();
    tasks.set(
      s.id,
      deps.scheduler.schedule(s.expression, s.timezone, () => {
        const work = runDue(s.id).catch((error: unknown) => logger.error({ err: error, schedule: s.id }, 'digest run failed unexpectedly'));
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      }),
    );
  };

  const platformFor = (name: string): DigestPlatform => {
    const platform = platforms.get(name);
    if (!platform) throw new NotConfiguredError(name.toUpperCase(), `Digests for ${name} need the ${name} bot to be running.`);
    return platform;
  };

  const composeDeps = (platform: DigestPlatform) => ({
    platform,
    summaries: deps.summaries,
    knowledge: deps.knowledge,
    feedback: deps.feedback,
    logger,
    sleep: (ms: number) => clock.sleep(ms),
  });

  /**
   * Where the digest for `period` starts: where the last delivered one ended; with none delivered
   * yet, the instant before the schedule's first run (so a failed first post loses nothing).
   */
  const windowStart = (s: DigestSchedule, period: Date): Date => {
    const last = store.lastDelivered(s.id);
    if (last) return last.coveredUntil ?? last.period;
    const first = store.runBefore(s.id)?.period ?? period;
    return previousOccurrence(cronOf(s), new Date(Math.min(first.getTime(), period.getTime()) - 1)) ?? s.createdAt;
  };

  async function publish(platform: DigestPlatform, s: DigestSchedule, markdown: string): Promise<{ ok: true; message: string } | { ok: false; reason: string }> {
    let reason = '';
    for (let i = 1; i <= POST_ATTEMPTS; i++) {
      try {
        return { ok: true, message: await platform.post(s.workspace, s.channel, markdown) };
      } catch (error) {
        reason = isDocentError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
        logger.warn({ err: error, schedule: s.id, attempt: i }, 'posting a digest failed');
        if (i < POST_ATTEMPTS) await clock.sleep(2000 * 4 ** (i - 1));
      }
    }
    return { ok: false, reason };
  }

  async function report(platform: DigestPlatform, s: DigestSchedule, text: string): Promise<void> {
    await platform.notify(s.workspace, s.createdBy.id, text).catch((error: unknown) => logger.warn({ err: error, schedule: s.id }, 'could not tell the digest’s owner about a failure'));
  }

  async function runDue(id: string): Promise<RunResult> {
    const s = store.get(id);
    if (!s) return { status: 'not-due' };
    const now = clock.now();
    const period = previousOccurrence(cronOf(s), new Date(now.getTime() + EARLY_TOLERANCE_MS), 40);
    if (!period || period <= s.createdAt) return { status: 'not-due' };
    const platform = platforms.get(s.platform);
    if (!platform) {
      logger.warn({ schedule: s.id, platform: s.platform }, `a digest is due but Docent is not running its ${s.platform} bot; it stays scheduled`);
      return { status: 'no-platform', period };
    }
    const late = now.getTime() - period.getTime() > LATE_AFTER_MS;
    const log = logger.child({ schedule: s.id, period: period.toISOString(), late });
    if (late && settings.catchUp === 'skip') {
      const skipped = store.skip(s.id, period, owner, now, 'missed while Docent was not running (DIGEST_CATCHUP=skip)');
      if (skipped) log.info({}, 'missed digest skipped');
      return skipped ? { status: 'skipped', period, late } : { status: 'already-run', period };
    }
    if (!store.claim(s.id, period, owner, late, now)) return { status: 'already-run', period };
    try {
      return await deliver(s, platform, period, late, now, log);
    } catch (error) {
      // Something unexpected: the run is marked failed (the next digest covers its period) and its owner told.
      const reason = isDocentError(error) ? error.userMessage : 'an unexpected error (see the logs)';
      store.update(s.id, period, { status: 'failed', finishedAt: clock.now(), detail: reason });
      log.error({ err: error }, 'digest run failed');
      await report(platform, s, `✖ Docent could not prepare your digest ${s.id} for ${formatInZone(period, s.timezone)}: ${reason}. The next one will cover this period too.`);
      return { status: 'failed', period, late };
    }
  }

  async function deliver(s: DigestSchedule, platform: DigestPlatform, period: Date, late: boolean, now: Date, log: Logger): Promise<RunResult> {
    const since = windowStart(s, period);
    const composed = await composeDigest({ schedule: s, since, until: now, lateFor: late ? period : undefined }, composeDeps(platform));
    if (composed.quiet && settings.quiet === 'skip') {
      store.update(s.id, period, { status: 'quiet', coveredUntil: now, finishedAt: clock.now(), detail: 'quiet period, not posted (DIGEST_QUIET=skip)' });
      log.info({}, 'quiet digest not posted');
      return { status: 'quiet', period, late };
    }
    store.update(s.id, period, { status: 'posting', coveredUntil: now });
    const posted = await publish(platform, s, composed.markdown);
    if (!posted.ok) {
      store.update(s.id, period, { status: 'failed', finishedAt: clock.now(), detail: posted.reason });
      log.error({ reason: posted.reason }, 'digest could not be posted');
      const previous = store.runBefore(s.id, period);
      if (previous?.status !== 'failed' || previous.detail !== posted.reason) await report(platform, s, `✖ Docent could not post your digest ${s.id} (${s.description}, ${s.timezone}) for ${formatInZone(period, s.timezone)}: ${posted.reason}. The next one will cover this period too.`);
      return { status: 'failed', period, late };
    }
    const failures = composed.failures.join('\n');
    store.update(s.id, period, { status: composed.quiet ? 'quiet' : 'posted', finishedAt: clock.now(), message: posted.message, ...(failures ? { detail: failures } : {}) });
    log.info({ failures: composed.failures.length, quiet: composed.quiet }, 'digest posted');
    // The same channels failing the same way as last time were already reported: say it once.
    const previous = store.runBefore(s.id, period);
    if (composed.failures.length > 0 && previous?.detail !== failures) {
      await report(platform, s, `Your digest ${s.id} was posted, but some channels could not be recapped:\n${composed.failures.map((f) => `• ${f}`).join('\n')}`);
    }
    return { status: composed.quiet ? 'quiet' : 'posted', period, late };
  }

  function loadConfigSchedules(): void {
    const file = settings.schedulesFile;
    if (!file) return;
    let entries: z.infer<typeof configFileSchema>;
    try {
      entries = configFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch (error) {
      throw new BadInputError('bad_schedules_file', `DIGEST_SCHEDULES_FILE (${file}) could not be loaded: ${error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : error instanceof Error ? error.message : String(error)}`);
    }
    const ids: string[] = [];
    for (const [i, entry] of entries.entries()) {
      let cron: CronSchedule;
      try {
        cron = parseWhen(entry.when, entry.timezone ?? settings.timezone);
      } catch (error) {
        throw new BadInputError('bad_schedules_file', `DIGEST_SCHEDULES_FILE (${file}), schedule ${i + 1}: ${isDocentError(error) ? error.userMessage : String(error)}`);
      }
      const channels = entry.channels ?? [entry.channel];
      const id = `cfg-${createHash('sha256').update(JSON.stringify([entry.platform, entry.workspace, entry.channel, cron.expression, cron.timezone, channels])).digest('hex').slice(0, 8)}`;
      ids.push(id);
      store.save({
        id,
        platform: entry.platform,
        workspace: entry.workspace,
        channel: entry.channel,
        spec: entry.when,
        ...cron,
        channels,
        createdBy: { id: entry.createdBy ?? 'config', name: entry.createdBy ?? 'the operator (config file)' },
        createdAt: clock.now(),
        source: 'config',
      });
    }
    const removed = store.removeConfigSchedulesExcept(ids, clock.now());
    logger.info({ file, schedules: ids.length, removed }, 'digest schedules loaded from the config file');
  }

  return {
    attach(platform) {
      platforms.set(platform.platform, platform);
    },

    async create({ scope, when, timezone, channels, creator }) {
      const cron = parseWhen(when, timezone ?? settings.timezone);
      const platform = platformFor(scope.platform);
      // Channels come as ids (mentions) or as "#name" (typed): names are looked up on the platform.
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
      const same = store
        .list({ platform: scope.platform, workspace: scope.workspace, channel: scope.channel })
        .find((x) => x.expression === cron.expression && x.timezone === cron.timezone && x.channels.join(' ') === recapped.join(' '));
      if (same) throw new BadInputError('digest_exists', `This digest is already set here as ${same.id} (${same.description}, ${same.timezone}). /digest list shows it.`);
      const s: DigestSchedule = {
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
      store.save(s);
      if (started) schedule(s);
      logger.info({ schedule: s.id, expression: s.expression, timezone: s.timezone, channels: recapped.length }, 'digest scheduled');
      return { schedule: s, next: next(s) };
    },

    list(scope) {
      return store.list({ platform: scope.platform, workspace: scope.workspace, channel: scope.channel }).map((s) => ({ schedule: s, next: next(s) }));
    },

    remove(scope, id) {
      const s = store.get(id.trim().toLowerCase());
      if (!s || s.platform !== scope.platform || s.workspace !== scope.workspace || s.channel !== scope.channel) {
        throw new BadInputError('unknown_digest', `No digest “${id}” posts in this channel. /digest list shows the ones that do.`);
      }
      if (s.source === 'config') throw new BadInputError('config_digest', `Digest ${s.id} comes from the operator’s DIGEST_SCHEDULES_FILE; it is removed there.`);
      store.remove(s.id, clock.now());
      tasks.get(s.id)?.stop();
      tasks.delete(s.id);
      return s;
    },

    async labels(s) {
      const platform = platforms.get(s.platform);
      return Promise.all(s.channels.map((c) => (platform ? platform.channelLabel(s.workspace, c).catch(() => c) : Promise.resolve(c))));
    },

    async preview(scope, creator, id, signal) {
      const platform = platformFor(scope.platform);
      const schedules = store.list({ platform: scope.platform, workspace: scope.workspace, channel: scope.channel });
      const s = id ? schedules.find((x) => x.id === id.trim().toLowerCase()) : schedules[0];
      if (id && !s) throw new BadInputError('unknown_digest', `No digest “${id}” posts in this channel. /digest list shows the ones that do.`);
      const now = clock.now();
      const since = s ? windowStart(s, now) : new Date(now.getTime() - 86_400_000);
      const request = s
        ? { schedule: s, since, until: now, signal }
        : { schedule: { platform: scope.platform, workspace: scope.workspace, channels: [scope.channel], createdBy: creator, timezone: settings.timezone, source: 'chat' as const }, since, until: now, signal };
      return composeDigest(request, composeDeps(platform));
    },

    load() {
      if (loaded) return;
      loadConfigSchedules();
      loaded = true;
    },

    async start() {
      this.load();
      const recovered = store.recover(owner);
      if (recovered.released + recovered.unknown > 0) logger.warn(recovered, 'digest runs interrupted by a stop were recovered');
      started = true;
      const all = store.list();
      for (const s of all) schedule(s);
      // A run missed while Docent was down: posted once, late (or skipped), by the same rule as a tick.
      for (const s of all) {
        const work = runDue(s.id).catch((error: unknown) => logger.error({ err: error, schedule: s.id }, 'digest catch-up failed'));
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      }
      logger.info({ schedules: all.length }, 'digests scheduled');
    },

    async stop() {
      for (const task of tasks.values()) task.stop();
      tasks.clear();
      started = false;
      await Promise.allSettled([...inFlight]);
    },

    count: () => store.list().length,

    runDue,
  };
}
