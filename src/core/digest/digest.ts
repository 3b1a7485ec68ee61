import type { Activity } from '../activity/activity.js';
import { BadInputError } from '../ports/errors.js';
import type { FeedbackStore } from '../answer/feedback.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Clock, DigestPlatform, Logger, Scheduler } from '../ports/ports.js';
import type { DigestSchedule, DigestState } from '../ports/state-store.js';
import type { SummaryService } from '../summarize/summarize.js';
import type { Actor, Scope } from '../ports/types.js';
import { composeDigest, type ComposedDigest } from './compose.js';
import { createDigestRunner, type DigestRunner, type RunResult } from './digest-runner.js';
import { createDigestSchedules, type ConfiguredSchedule, type DigestSchedules } from './schedules.js';

export type { RunResult };

export interface DigestSettings {
  readonly timezone: string;
  readonly catchUp: 'once' | 'skip';
  readonly quiet: 'note' | 'skip';
  /** The operator's schedules (DIGEST_SCHEDULES_FILE, read by src/schedules-file.ts), or none. */
  readonly configured: { readonly file: string; readonly read: () => readonly ConfiguredSchedule[] } | undefined;
}

export interface DigestDeps {
  readonly activity?: Activity;
  readonly store: DigestState;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly summaries: SummaryService;
  readonly knowledge: KnowledgeBase;
  readonly feedback: FeedbackStore;
  readonly logger: Logger;
  readonly settings: DigestSettings;
}

export interface DigestService {
  /** A bot offers its platform for digests (reading, posting, permission checks). */
  attach(platform: DigestPlatform): void;
  /** The platform a bot attached under this name (also how a resumed upload reports back). */
  platform(name: string): DigestPlatform | undefined;
  create(input: { scope: Scope; when: string; timezone?: string; channels?: readonly string[]; creator: Actor }): Promise<{ schedule: DigestSchedule; next: Date | undefined }>;
  /** Schedules posting in this channel, with their next run. */
  list(scope: Scope): Promise<{ schedule: DigestSchedule; next: Date | undefined }[]>;
  remove(scope: Scope, id: string): Promise<DigestSchedule>;
  /** The recapped channels as people see them ("#general"). */
  labels(schedule: DigestSchedule): Promise<string[]>;
  /** The digest this channel would get now (a schedule's, or the last day of this channel), not recorded. */
  preview(scope: Scope, creator: Actor, id?: string, signal?: AbortSignal): Promise<ComposedDigest>;
  /** Loads the schedules of DIGEST_SCHEDULES_FILE (once); throws with the file and entry at fault. */
  load(): Promise<void>;
  /** Loads config-file schedules, recovers from a crash, starts the ticks and posts a missed run (once or skip). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** How many schedules there are, on every platform. */
  count(): Promise<number>;
  /** Runs the schedule's latest due period if nobody has (what each tick does). */
  runDue(id: string): Promise<RunResult>;
}

/**
 * Scheduled digests: the schedules (schedules.ts), the runs (digest-runner.ts) and, here, their
 * ticks: each schedule's cron task, catch-up of runs missed while Docent was down, and a stop
 * that waits for runs in progress.
 */
export function createDigestService(deps: DigestDeps): DigestService {
  const { store, clock, logger, settings } = deps;
  const platforms = new Map<string, DigestPlatform>();
  const tasks = new Map<string, { stop(): void }>();
  const inFlight = new Set<Promise<unknown>>();
  let started = false;
  let loaded = false;

  const runner = createDigestRunner({ ...deps, settings, platforms });
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const schedule = (s: DigestSchedule) => {
    tasks.get(s.id)?.stop();
    tasks.set(
      s.id,
      deps.scheduler.schedule(s.expression, s.timezone, () => track(runner.runDue(s.id).catch((error: unknown) => logger.error({ err: error, schedule: s.id }, 'digest run failed unexpectedly')))),
    );
  };
  const schedules = createDigestSchedules({
    store,
    clock,
    logger,
    timezone: settings.timezone,
    platforms,
    onAdded: (s) => {
      if (started) schedule(s);
    },
    onRemoved: (id) => {
      tasks.get(id)?.stop();
      tasks.delete(id);
    },
  });

  return {
    attach(platform) {
      platforms.set(platform.platform, platform);
    },
    platform: (name) => platforms.get(name),
    create: (input) => schedules.create(input),
    list: (scope) => schedules.list(scope),
    remove: (scope, id) => schedules.remove(scope, id),
    labels: (s) => schedules.labels(s),

    preview: (scope, creator, id, signal) => previewDigest({ store, clock, runner, schedules, timezone: settings.timezone }, { scope, creator, id, signal }),

    async load() {
      if (loaded) return;
      if (settings.configured) await schedules.syncConfigured(settings.configured.read(), settings.configured.file);
      loaded = true;
    },

    async start() {
      await this.load();
      const recovered = await store.recover(runner.owner);
      if (recovered.released + recovered.unknown > 0) logger.warn(recovered, 'digest runs interrupted by a stop were recovered');
      started = true;
      const all = await store.list();
      for (const s of all) schedule(s);
      // A run missed while Docent was down: posted once, late (or skipped), by the same rule as a tick.
      for (const s of all) track(runner.runDue(s.id).catch((error: unknown) => logger.error({ err: error, schedule: s.id }, 'digest catch-up failed')));
      logger.info({ schedules: all.length }, 'digests scheduled');
    },

    async stop() {
      for (const task of tasks.values()) task.stop();
      tasks.clear();
      started = false;
      await Promise.allSettled([...inFlight]);
    },

    count: async () => (await store.list()).length,

    runDue: (id) => runner.runDue(id),
  };
}

/** /digest now: the channel's digest (the first, or the one named) as it would be posted now, or a one-day recap when none is set. */
async function previewDigest(
  deps: { store: DigestState; clock: Clock; runner: DigestRunner; schedules: DigestSchedules; timezone: string },
  input: { scope: Scope; creator: Actor; id: string | undefined; signal: AbortSignal | undefined },
): Promise<ComposedDigest> {
  const { scope, creator, id, signal } = input;
  const platform = deps.schedules.platformFor(scope.platform);
  const here = await deps.store.list({ platform: scope.platform, workspace: scope.workspace, channel: scope.channel });
  const s = id ? here.find((x) => x.id === id.trim().toLowerCase()) : here[0];
  if (id && !s) throw new BadInputError('unknown_digest', `No digest “${id}” posts in this channel. /digest list shows the ones that do.`);
  const now = deps.clock.now();
  const since = s ? await deps.runner.windowStart(s, now) : new Date(now.getTime() - 86_400_000);
  const request = s
    ? { schedule: s, since, until: now, signal }
    : { schedule: { platform: scope.platform, workspace: scope.workspace, channels: [scope.channel], createdBy: creator, timezone: deps.timezone, source: 'chat' as const }, since, until: now, signal };
  return composeDigest(request, deps.runner.composeDeps(platform));
}
