import type { IngestJob } from '../ports/ingest-jobs.js';
import type { ActivityEvent } from '../ports/state-store.js';
import { groupSimilar, type QuestionGroup } from './group-questions.js';
import type { AdminDocument, AdminQueries, AdminScope, CallSample, ChannelFigures, QuestionDay, RatedAnswer, ScheduleRow } from '../ports/admin-queries.js';
import { scopePrefix } from '../ports/admin-queries.js';

export type { AdminScope, QuestionGroup };

/** A provider's calls for one model and purpose: how many, how many failed, how long they took. */
export interface CallFigures {
  readonly provider: string;
  readonly model: string;
  readonly purpose: string;
  readonly calls: number;
  readonly errors: number;
  /** Successful calls, the ones the latency is taken from. */
  readonly timed: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/** Everything the admin page shows for a scope. Question and answer texts are absent unless ADMIN_SHOW_QUESTIONS is on. */
export interface AdminReport {
  readonly scope: AdminScope;
  readonly generatedAt: Date;
  readonly days: number;
  readonly showQuestions: boolean;
  readonly totals: { readonly documents: number; readonly passages: number; readonly questions: number; readonly answered: number; readonly ratedDown: number };
  readonly channels: readonly ChannelFigures[];
  readonly documents: readonly AdminDocument[];
  /** Every day of the window, oldest first (days without questions included). */
  readonly perDay: readonly QuestionDay[];
  readonly unanswered: { readonly count: number; readonly groups: readonly QuestionGroup[] | undefined };
  readonly ratedDown: readonly RatedAnswer[];
  readonly models: { readonly plan: { readonly models: readonly string[]; readonly reason: string } | undefined; readonly used: readonly { model: string; answers: number }[]; readonly retired: readonly ActivityEvent[] };
  readonly providers: { readonly figures: readonly CallFigures[]; readonly errors: readonly ActivityEvent[] };
  readonly schedules: readonly ScheduleRow[];
  readonly ingest: { readonly events: readonly ActivityEvent[]; readonly queued: readonly IngestJob[] };
}

export interface AdminReportDeps {
  readonly queries: AdminQueries;
  readonly storeKey: string;
  readonly now: () => Date;
  readonly showQuestions: boolean;
  /** The answer models' plan, decided before the core was built (undefined when the models were given, as benchmarks give them). */
  readonly plan: () => { readonly models: readonly string[]; readonly reason: string } | undefined;
  /** Uploads recorded but not being read, in one channel. */
  readonly queued: (tenant: string) => Promise<IngestJob[]>;
  /** Waits for activity still being written (so the page shows what just happened). */
  readonly settled?: () => Promise<void>;
}

export interface AdminReports {
  report(scope: AdminScope): Promise<AdminReport>;
}

/** The window the page covers. */
export const REPORT_DAYS = 30;
const LIMIT = { documents: 500, unanswered: 500, ratedDown: 50, calls: 20_000, events: 50 };

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

/** Calls grouped by provider, model and purpose; cancelled calls count as calls but neither as errors nor in the latency. */
export function callFigures(samples: readonly CallSample[]): CallFigures[] {
  const groups = new Map<string, { sample: CallSample; ms: number[]; calls: number; errors: number }>();
  for (const s of samples) {
    const key = `${s.provider}\u0000${s.subject}\u0000${s.purpose}`;
    const group = groups.get(key) ?? { sample: s, ms: [], calls: 0, errors: 0 };
    group.calls++;
    if (s.outcome === 'error') group.errors++;
    if (s.outcome === 'ok') group.ms.push(s.ms);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ sample, ms, calls, errors }) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return { provider: sample.provider, model: sample.subject, purpose: sample.purpose, calls, errors, timed: ms.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
    })
    .sort((a, b) => b.calls - a.calls);
}

/** Every UTC day from `since` to `until`, with the days the store had filled in. */
export function everyDay(rows: readonly QuestionDay[], since: Date, until: Date): QuestionDay[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days: QuestionDay[] = [];
  for (let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()); t <= until.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, asked: 0, answered: 0 });
  }
  return days;
}

export function createAdminReports(deps: AdminReportDeps): AdminReports {
  const { queries } = deps;
  return {
    async report(scope) {
      await deps.settled?.();
      const now = deps.now();
      const since = new Date(now.getTime() - (REPORT_DAYS - 1) * 86_400_000);
      const [channels, documents, perDay, unanswered, ratedDown, used, calls, retired, errors, ingest, schedules] = await Promise.all([
        queries.channels(scope, deps.storeKey, since),
        queries.documents(scope, deps.storeKey, LIMIT.documents),
        queries.questionsPerDay(scope, since),
        queries.unanswered(scope, since, LIMIT.unanswered),
        queries.ratedDown(scope, since, LIMIT.ratedDown),
        queries.modelsUsed(scope, since),
        queries.calls(scope, since, LIMIT.calls),
        queries.events({ kind: 'all' }, { kinds: ['model'] }, since, LIMIT.events),
        queries.events(scope, { kinds: ['call'], outcomes: ['error'] }, since, LIMIT.events),
        queries.events(scope, { kinds: ['ingest'] }, since, LIMIT.events),
        queries.schedules(scope),
      ]);
      const sum = (pick: (c: ChannelFigures) => number) => channels.reduce((total, c) => total + pick(c), 0);
      const show = deps.showQuestions;
      return {
        scope,
        generatedAt: now,
        days: REPORT_DAYS,
        showQuestions: show,
        totals: { documents: sum((c) => c.documents), passages: sum((c) => c.passages), questions: sum((c) => c.questions), answered: sum((c) => c.answered), ratedDown: sum((c) => c.ratedDown) },
        channels,
        documents,
        perDay: everyDay(perDay, since, now),
        unanswered: { count: sum((c) => c.questions - c.answered), groups: show ? groupSimilar(unanswered) : undefined },
        // Without ADMIN_SHOW_QUESTIONS the texts people typed and the answers they got stay out of the report.
        ratedDown: show ? ratedDown : ratedDown.map((r) => ({ ...r, question: '', answer: '' })),
        models: { plan: deps.plan(), used, retired },
        providers: { figures: callFigures(calls), errors },
        schedules,
        ingest: { events: ingest, queued: scope.kind === 'channel' ? await deps.queued(scopePrefix(scope)) : [] },
      };
    },
  };
}
