import type { Activity } from '../activity/activity.js';
import { randomBytes } from 'node:crypto';
import { isDocentError } from '../ports/errors.js';
import type { FeedbackStore } from '../answer/feedback.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Clock, DigestPlatform, Logger } from '../ports/ports.js';
import type { DigestSchedule, DigestState } from '../ports/state-store.js';
import type { SummaryService } from '../summarize/summarize.js';
import { composeDigest, formatInZone } from './compose.js';
import { previousOccurrence, type CronSchedule } from './cron.js';

export type RunResult =
  | { readonly status: 'posted' | 'quiet' | 'skipped' | 'failed'; readonly period: Date; readonly late: boolean }
  | { readonly status: 'not-due' | 'already-run' | 'no-platform'; readonly period?: Date };

/** A run started more than this after its instant is late (Docent was down, or the machine slept). */
const LATE_AFTER_MS = 2 * 60_000;
/** Ticks may fire a moment early; an instant this close ahead counts as due. */
const EARLY_TOLERANCE_MS = 5_000;
const POST_ATTEMPTS = 3;

export const cronOf = (s: DigestSchedule): CronSchedule => ({ expression: s.expression, timezone: s.timezone, description: s.description });

export interface DigestRunnerDeps {
  /** Records the digest's provider calls for the channel it is posted in (the admin page). */
  readonly activity?: Activity;
  readonly store: DigestState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly summaries: SummaryService;
  readonly knowledge: KnowledgeBase;
  readonly feedback: FeedbackStore;
  readonly settings: { readonly catchUp: 'once' | 'skip'; readonly quiet: 'note' | 'skip' };
  /** The platforms the bots attached, by name. */
  readonly platforms: ReadonlyMap<string, DigestPlatform>;
}

export interface DigestRunner {
  /** This process's claim name: a run it claimed is its own, one another process claimed is not. */
  readonly owner: string;
  /** Runs the schedule's latest due period if nobody has (what each tick does). */
  runDue(id: string): Promise<RunResult>;
  /** Where the next digest of `s` starts. */
  windowStart(s: DigestSchedule, period: Date): Promise<Date>;
  /** What composing a digest on `platform` needs. */
  composeDeps(platform: DigestPlatform): Parameters<typeof composeDigest>[1];
}

/**
 * Running a schedule's period exactly once: claim it in the store, compose the digest, post it
 * (three tries), record the outcome, and tell the schedule's owner about failures once.
 */
export function createDigestRunner(deps: DigestRunnerDeps): DigestRunner {
  const { store, clock, logger, settings, platforms } = deps;
  const owner = randomBytes(6).toString('hex');
  const composeDeps = (platform: DigestPlatform) => ({
    platform,
    summaries: deps.summaries,
    knowledge: deps.knowledge,
    feedback: deps.feedback,
    logger,
    sleep: (ms: number) => clock.sleep(ms),
  });

  const windowStart = (s: DigestSchedule, period: Date) => digestWindowStart(store, s, period);
  const publish = (platform: DigestPlatform, s: DigestSchedule, markdown: string) => postWithRetries(platform, s, markdown, clock, logger);
  const report = (platform: DigestPlatform, s: DigestSchedule, text: string) => tellOwner(platform, s, text, logger);

  async function runDue(id: string): Promise<RunResult> {
    const s = await store.get(id);
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
      const skipped = await store.skip(s.id, period, owner, now, 'missed while Docent was not running (DIGEST_CATCHUP=skip)');
      if (skipped) log.info({}, 'missed digest skipped');
      return skipped ? { status: 'skipped', period, late } : { status: 'already-run', period };
    }
    if (!(await store.claim(s.id, period, owner, late, now))) return { status: 'already-run', period };
    try {
      const run = () => deliver(s, platform, period, late, now, log);
      return await (deps.activity ? deps.activity.within(`${s.platform}:${s.workspace}:${s.channel}`, run) : run());
    } catch (error) {
      // Something unexpected: the run is marked failed (the next digest covers its period) and its owner told.
      const reason = isDocentError(error) ? error.userMessage : 'an unexpected error (see the logs)';
      await store.update(s.id, period, { status: 'failed', finishedAt: clock.now(), detail: reason });
      log.error({ err: error }, 'digest run failed');
      await report(platform, s, `✖ Docent could not prepare your digest ${s.id} for ${formatInZone(period, s.timezone)}: ${reason}. The next one will cover this period too.`);
      return { status: 'failed', period, late };
    }
  }

  async function deliver(s: DigestSchedule, platform: DigestPlatform, period: Date, late: boolean, now: Date, log: Logger): Promise<RunResult> {
    const since = await windowStart(s, period);
    const composed = await composeDigest({ schedule: s, since, until: now, lateFor: late ? period : undefined }, composeDeps(platform));
    if (composed.quiet && settings.quiet === 'skip') {
      await store.update(s.id, period, { status: 'quiet', coveredUntil: now, finishedAt: clock.now(), detail: 'quiet period, not posted (DIGEST_QUIET=skip)' });
      log.info({}, 'quiet digest not posted');
      return { status: 'quiet', period, late };
    }
    await store.update(s.id, period, { status: 'posting', coveredUntil: now });
    const posted = await publish(platform, s, composed.markdown);
    if (!posted.ok) {
      await store.update(s.id, period, { status: 'failed', finishedAt: clock.now(), detail: posted.reason });
      log.error({ reason: posted.reason }, 'digest could not be posted');
      const previous = await store.runBefore(s.id, period);
      if (previous?.status !== 'failed' || previous.detail !== posted.reason) await report(platform, s, `✖ Docent could not post your digest ${s.id} (${s.description}, ${s.timezone}) for ${formatInZone(period, s.timezone)}: ${posted.reason}. The next one will cover this period too.`);
      return { status: 'failed', period, late };
    }
    const failures = composed.failures.join('\n');
    await store.update(s.id, period, { status: composed.quiet ? 'quiet' : 'posted', finishedAt: clock.now(), message: posted.message, ...(failures ? { detail: failures } : {}) });
    log.info({ failures: composed.failures.length, quiet: composed.quiet }, 'digest posted');
    // The same channels failing the same way as last time were already reported: say it once.
    const previous = await store.runBefore(s.id, period);
    if (composed.failures.length > 0 && previous?.detail !== failures) {
      await report(platform, s, `Your digest ${s.id} was posted, but some channels could not be recapped:\n${composed.failures.map((f) => `• ${f}`).join('\n')}`);
    }
    return { status: composed.quiet ? 'quiet' : 'posted', period, late };
  }

  return { owner, runDue, windowStart, composeDeps };
}

/**
 * Where the digest for `period` starts: where the last delivered one ended; with none delivered
 * yet, the instant before the schedule's first run (so a failed first post loses nothing).
 */
async function digestWindowStart(store: DigestState, s: DigestSchedule, period: Date): Promise<Date> {
  const last = await store.lastDelivered(s.id);
  if (last) return last.coveredUntil ?? last.period;
  const first = (await store.runBefore(s.id))?.period ?? period;
  return previousOccurrence(cronOf(s), new Date(Math.min(first.getTime(), period.getTime()) - 1)) ?? s.createdAt;
}

/** Posts a digest, trying three times with growing pauses; the last failure's reason in plain words. */
async function postWithRetries(platform: DigestPlatform, s: DigestSchedule, markdown: string, clock: Clock, logger: Logger): Promise<{ ok: true; message: string } | { ok: false; reason: string }> {
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

/** Tells the schedule's creator privately; a failure to tell is only logged. */
async function tellOwner(platform: DigestPlatform, s: DigestSchedule, text: string, logger: Logger): Promise<void> {
  await platform.notify(s.workspace, s.createdBy.id, text).catch((error: unknown) => logger.warn({ err: error, schedule: s.id }, 'could not tell the digest’s owner about a failure'));
}
