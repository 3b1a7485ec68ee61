import type { AdminReport } from '../core/public-surface.js';
import { esc, section, table, when, type Html } from './html.js';
import { channelCell } from './sections-usage.js';

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);
const millis = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const OUTCOME: Readonly<Record<string, string>> = { indexed: 'indexed', unchanged: 'already indexed', reinstated: 'earlier version again', refused: 'refused', failed: 'failed' };

export function ingest(r: AdminReport): Html {
  const queued = r.ingest.queued.length
    ? `<p>Waiting to be read: ${r.ingest.queued.map((j) => `${esc(j.name)} (posted by ${esc(j.uploader.name)}, ${esc(when(new Date(j.queuedAt)))})`).join(', ')}</p>`
    : '';
  const rows = r.ingest.events.map((e) => [
    esc(when(e.at)),
    channelCell(e.tenant),
    esc(e.subject),
    e.outcome === 'refused' || e.outcome === 'failed' ? `<span class="bad">${esc(OUTCOME[e.outcome])}</span>` : esc(OUTCOME[e.outcome] ?? e.outcome),
    esc(e.detail ?? ''),
    esc(seconds(e.ms)),
  ]);
  return section('ingest', 'Uploads', queued + table(['When', 'Channel', 'File', 'Outcome', 'What happened', 'Took'], rows, `No uploads in the last ${r.days} days.`, new Set([5])), 'The latest 50, refusals with the reason the uploader was given.');
}

export function models(r: AdminReport): Html {
  const plan = r.models.plan;
  const retiredIds = new Set(r.models.retired.map((e) => `${e.provider}:${e.subject}`));
  const named = (id: string) => `${esc(id)}${retiredIds.has(id) ? ' <span class="bad">(retired)</span>' : ''}`;
  const planText = plan
    ? plan.models.length > 0
      ? `<p>/ask answers with <b>${named(plan.models[0] ?? '')}</b>${plan.models.length > 1 ? `, then ${plan.models.slice(1).map(named).join(', ')}` : ''}: ${esc(plan.reason)}.</p>`
      : `<p>/ask quotes passages (no answer model): ${esc(plan.reason)}.</p>`
    : '<p class="note">The answer models are decided when Docent starts.</p>';
  const used = table(
    ['Model', 'Answers'],
    r.models.used.map((m) => [esc(m.model), String(m.answers)]),
    'No answer was written by a model in this period.',
    new Set([1]),
  );
  const retired = r.models.retired.length
    ? `<h3>Retirements and fallbacks seen</h3>${table(
        ['When', 'Model', 'What happened'],
        r.models.retired.map((e) => [esc(when(e.at)), esc(`${e.provider}:${e.subject}`), esc(e.detail ?? '')]),
        '',
      )}`
    : '<p class="note">No model was found retired.</p>';
  return section('models', 'Models', planText + used + retired);
}

export function providers(r: AdminReport): Html {
  const rows = r.providers.figures.map((f) => [
    esc(f.provider),
    esc(f.model),
    esc(f.purpose),
    String(f.calls),
    f.errors > 0 ? `<span class="bad">${f.errors}</span>` : '0',
    esc(f.timed > 0 ? millis(f.p50Ms) : '–'),
    esc(f.timed > 0 ? millis(f.p95Ms) : '–'),
  ]);
  const errors = r.providers.errors.map((e) => [esc(when(e.at)), channelCell(e.tenant), esc(`${e.provider}:${e.subject}`), esc(e.purpose), esc(e.code ?? ''), esc(e.detail ?? '')]);
  return section(
    'providers',
    'Providers',
    table(['Provider', 'Model', 'For', 'Calls', 'Errors', 'Median', '95th percentile'], rows, `No provider was called in the last ${r.days} days.`, new Set([3, 4, 5, 6])) +
      `<h3>Latest errors</h3>${table(['When', 'Channel', 'Model', 'For', 'Code', 'Error'], errors, 'No provider errors.')}`,
    'Latency of successful calls; cancelled calls are counted but are neither errors nor timed.',
  );
}

export function digests(r: AdminReport): Html {
  const rows = r.schedules.map((s) => [
    esc(s.id),
    channelCell(s.tenant),
    esc(`${s.description} (${s.timezone})`),
    esc(s.channels.join(', ')),
    esc(`${s.createdBy}${s.source === 'config' ? ' (schedules file)' : ''}`),
    s.lastRun ? `${s.lastRun.status === 'failed' || s.lastRun.status === 'unknown' ? `<span class="bad">${esc(s.lastRun.status)}</span>` : esc(s.lastRun.status)} ${esc(when(s.lastRun.period))}${s.lastRun.detail ? `<br><span class="note">${esc(s.lastRun.detail)}</span>` : ''}` : '<span class="note">not run yet</span>',
    String(s.runs),
    s.failures > 0 ? `<span class="bad">${s.failures}</span>` : '0',
  ]);
  return section('digests', 'Digests', table(['Schedule', 'Posted in', 'When', 'Recaps', 'Set up by', 'Last run', 'Runs', 'Failures'], rows, 'No digests are scheduled.', new Set([6, 7])));
}
