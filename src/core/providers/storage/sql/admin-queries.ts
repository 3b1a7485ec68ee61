import {
  scopePrefix,
  type AdminDocument,
  type AdminQueries,
  type AdminScope,
  type AskedQuestionRow,
  type CallSample,
  type ChannelFigures,
  type QuestionDay,
  type RatedAnswer,
  type ScheduleRow,
} from '../../../ports/admin-queries.js';
import type { ActivityEvent, ActivityKind, RunStatus } from '../../../ports/state-store.js';
import { readBool, readCount, readDate, readJson, type SqlRunner } from './sql-runner.js';
import { versionFilter } from './versions.js';

type Stamp = string | Date;
const date = readDate;
const count = readCount;
const truthy = readBool;
const list = (value: unknown): string[] => readJson<unknown[]>(value, []).map(String);

/** `column` within the scope, exactly (no LIKE: ids are compared byte for byte). */
function within(scope: AdminScope, column: string): { sql: string; params: unknown[] } {
  const prefix = scopePrefix(scope);
  if (scope.kind === 'all') return { sql: '1 = 1', params: [] };
  if (scope.kind === 'channel') return { sql: `${column} = ?`, params: [prefix] };
  return { sql: `substr(${column}, 1, ${prefix.length}) = ?`, params: [prefix] };
}

const SCHEDULE_TENANT = `(s.platform || ':' || s.workspace || ':' || s.channel)`;

const GROUNDED = `CASE WHEN a.grounded THEN 1 ELSE 0 END`;

/** The admin page's queries, written once for both databases. */
export class SqlAdminQueries implements AdminQueries {
  constructor(private readonly db: SqlRunner) {}

  /** A timestamp column's UTC day, YYYY-MM-DD. */
  private day(column: string): string {
    return this.db.dialect === 'sqlite' ? `substr(${column}, 1, 10)` : `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  }

  async channels(scope: AdminScope, storeKey: string, since: Date): Promise<ChannelFigures[]> {
    const docs = within(scope, 'tenant');
    const answers = within(scope, 'a.tenant');
    const schedules = within(scope, SCHEDULE_TENANT);
    const activity = within(scope, 'tenant');
    const [documentRows, answerRows, downRows, scheduleRows, activityRows] = await Promise.all([
      this.db.all<{ tenant: string; n: number | string; passages: number | string | null }>(
        `SELECT tenant, count(*) AS n, sum(chunks) AS passages FROM documents WHERE status = 'ready' AND store_key = ? AND ${docs.sql} GROUP BY tenant`,
        [storeKey, ...docs.params],
      ),
      this.db.all<{ tenant: string; n: number | string; answered: number | string | null; last: Stamp | null }>(
        `SELECT a.tenant AS tenant, count(*) AS n, sum(${GROUNDED}) AS answered, max(a.created_at) AS last FROM answers a WHERE a.created_at >= ? AND ${answers.sql} GROUP BY a.tenant`,
        [since, ...answers.params],
      ),
      this.db.all<{ tenant: string; n: number | string }>(
        `SELECT a.tenant AS tenant, count(DISTINCT a.id) AS n FROM answers a JOIN feedback f ON f.answer_id = a.id
         WHERE f.rating = 'down' AND a.created_at >= ? AND ${answers.sql} GROUP BY a.tenant`,
        [since, ...answers.params],
      ),
      this.db.all<{ tenant: string; n: number | string }>(
        `SELECT ${SCHEDULE_TENANT} AS tenant, count(*) AS n FROM digest_schedules s WHERE s.removed_at IS NULL AND ${schedules.sql} GROUP BY ${SCHEDULE_TENANT}`,
        schedules.params,
      ),
      this.db.all<{ tenant: string }>(`SELECT DISTINCT tenant FROM activity WHERE tenant <> '' AND at >= ? AND ${activity.sql}`, [since, ...activity.params]),
    ]);
    const figures = new Map<string, { -readonly [K in keyof ChannelFigures]: ChannelFigures[K] }>();
    const of = (tenant: string) => {
      let entry = figures.get(tenant);
      if (!entry) {
        entry = { tenant, documents: 0, passages: 0, questions: 0, answered: 0, ratedDown: 0, schedules: 0, lastQuestion: undefined };
        figures.set(tenant, entry);
      }
      return entry;
    };
    for (const r of documentRows) Object.assign(of(r.tenant), { documents: count(r.n), passages: count(r.passages) });
    for (const r of answerRows) Object.assign(of(r.tenant), { questions: count(r.n), answered: count(r.answered), lastQuestion: date(r.last) });
    for (const r of downRows) of(r.tenant).ratedDown = count(r.n);
    for (const r of scheduleRows) of(r.tenant).schedules = count(r.n);
    for (const r of activityRows) of(r.tenant);
    return [...figures.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
  }

  async documents(scope: AdminScope, storeKey: string, limit: number): Promise<AdminDocument[]> {
    const where = within(scope, 'd.tenant');
    const rows = await this.db.all<{
      tenant: string;
      name: string;
      status: AdminDocument['status'];
      pages: number;
      chunks: number;
      ocr_pages: number;
      bytes: number | string;
      uploaded_by_name: string;
      link: string | null;
      indexed_at: Stamp | null;
      previous: unknown;
    }>(
      `SELECT d.tenant, d.name, d.status, d.pages, d.chunks, d.ocr_pages, d.bytes, d.uploaded_by_name, d.link, d.indexed_at,
              CASE WHEN d.status = 'ready' AND ${versionFilter('previous')} THEN 1 ELSE 0 END AS previous
       FROM documents d WHERE d.store_key = ? AND ${where.sql}
       ORDER BY d.tenant, d.name, d.indexed_at DESC LIMIT ${Math.trunc(limit)}`,
      [storeKey, ...where.params],
    );
    return rows.map((r) => ({
      tenant: r.tenant,
      name: r.name,
      status: r.status,
      pages: count(r.pages),
      passages: count(r.chunks),
      ocrPages: count(r.ocr_pages),
      bytes: count(r.bytes),
      addedBy: r.uploaded_by_name,
      link: r.link ?? undefined,
      indexedAt: date(r.indexed_at),
      previous: truthy(r.previous),
    }));
  }

  async questionsPerDay(scope: AdminScope, since: Date): Promise<QuestionDay[]> {
    const where = within(scope, 'a.tenant');
    const rows = await this.db.all<{ day: string; asked: number | string; answered: number | string | null }>(
      `SELECT ${this.day('a.created_at')} AS day, count(*) AS asked, sum(${GROUNDED}) AS answered FROM answers a
       WHERE a.created_at >= ? AND ${where.sql} GROUP BY ${this.day('a.created_at')} ORDER BY day`,
      [since, ...where.params],
    );
    return rows.map((r): QuestionDay => ({ day: r.day, asked: count(r.asked), answered: count(r.answered) }));
  }

  async unanswered(scope: AdminScope, since: Date, limit: number): Promise<AskedQuestionRow[]> {
    const where = within(scope, 'a.tenant');
    const rows = await this.db.all<{ tenant: string; question: string; created_at: Stamp }>(
      `SELECT a.tenant, a.question, a.created_at FROM answers a WHERE NOT a.grounded AND a.created_at >= ? AND ${where.sql}
       ORDER BY a.created_at DESC LIMIT ${Math.trunc(limit)}`,
      [since, ...where.params],
    );
    return rows.map((r): AskedQuestionRow => ({ tenant: r.tenant, question: r.question, at: new Date(r.created_at) }));
  }

  async ratedDown(scope: AdminScope, since: Date, limit: number): Promise<RatedAnswer[]> {
    const where = within(scope, 'a.tenant');
    const rows = await this.db.all<{ tenant: string; question: string; answer: string; sources: string | null; model: string | null; created_at: Stamp; up: number | string; down: number | string }>(
      `SELECT a.tenant, a.question, a.answer, a.sources, a.model, a.created_at,
              sum(CASE WHEN f.rating = 'up' THEN 1 ELSE 0 END) AS up, sum(CASE WHEN f.rating = 'down' THEN 1 ELSE 0 END) AS down
       FROM answers a JOIN feedback f ON f.answer_id = a.id WHERE a.created_at >= ? AND ${where.sql}
       GROUP BY a.id, a.tenant, a.question, a.answer, a.sources, a.model, a.created_at
       HAVING sum(CASE WHEN f.rating = 'down' THEN 1 ELSE 0 END) > 0 ORDER BY a.created_at DESC LIMIT ${Math.trunc(limit)}`,
      [since, ...where.params],
    );
    return rows.map((r): RatedAnswer => ({
      tenant: r.tenant,
      question: r.question,
      answer: r.answer,
      sources: list(r.sources),
      model: r.model ?? undefined,
      at: new Date(r.created_at),
      up: count(r.up),
      down: count(r.down),
    }));
  }

  async modelsUsed(scope: AdminScope, since: Date): Promise<{ model: string; answers: number }[]> {
    const where = within(scope, 'a.tenant');
    const rows = await this.db.all<{ model: string; n: number | string }>(
      `SELECT a.model AS model, count(*) AS n FROM answers a WHERE a.model IS NOT NULL AND a.created_at >= ? AND ${where.sql} GROUP BY a.model ORDER BY n DESC`,
      [since, ...where.params],
    );
    return rows.map((r) => ({ model: r.model, answers: count(r.n) }));
  }

  async calls(scope: AdminScope, since: Date, limit: number): Promise<CallSample[]> {
    const where = within(scope, 'tenant');
    const rows = await this.db.all<{ provider: string; subject: string; purpose: string; outcome: string; ms: number | string | null }>(
      `SELECT provider, subject, purpose, outcome, ms FROM activity WHERE kind = 'call' AND at >= ? AND ${where.sql} ORDER BY at DESC LIMIT ${Math.trunc(limit)}`,
      [since, ...where.params],
    );
    return rows.map((r): CallSample => ({ provider: r.provider, subject: r.subject, purpose: r.purpose, outcome: r.outcome, ms: count(r.ms) }));
  }

  async events(scope: AdminScope, filter: { readonly kinds: readonly ActivityKind[]; readonly outcomes?: readonly string[] }, since: Date, limit: number): Promise<ActivityEvent[]> {
    const where = within(scope, 'tenant');
    const kinds = filter.kinds.map(() => '?').join(', ');
    const outcomes = filter.outcomes ? ` AND outcome IN (${filter.outcomes.map(() => '?').join(', ')})` : '';
    const rows = await this.db.all<{ at: Stamp; tenant: string; kind: ActivityKind; provider: string; subject: string; purpose: string; outcome: string; code: string | null; detail: string | null; ms: number | string | null }>(
      `SELECT at, tenant, kind, provider, subject, purpose, outcome, code, detail, ms FROM activity
       WHERE kind IN (${kinds})${outcomes} AND at >= ? AND ${where.sql} ORDER BY at DESC LIMIT ${Math.trunc(limit)}`,
      [...filter.kinds, ...(filter.outcomes ?? []), since, ...where.params],
    );
    return rows.map(
      (r): ActivityEvent => ({
        at: new Date(r.at),
        tenant: r.tenant,
        kind: r.kind,
        provider: r.provider,
        subject: r.subject,
        purpose: r.purpose,
        outcome: r.outcome,
        code: r.code ?? undefined,
        detail: r.detail ?? undefined,
        ms: r.ms === null ? undefined : count(r.ms),
      }),
    );
  }

  async schedules(scope: AdminScope): Promise<ScheduleRow[]> {
    const where = within(scope, SCHEDULE_TENANT);
    const rows = await this.db.all<{
      id: string;
      tenant: string;
      spec: string;
      description: string;
      timezone: string;
      channels: unknown;
      created_by_name: string;
      source: 'chat' | 'config';
      runs: number | string;
      failures: number | string | null;
      period: Stamp | null;
      status: RunStatus | null;
      message: string | null;
      detail: string | null;
    }>(
      `SELECT s.id, ${SCHEDULE_TENANT} AS tenant, s.spec, s.description, s.timezone, s.channels, s.created_by_name, s.source,
              (SELECT count(*) FROM digest_runs r WHERE r.schedule_id = s.id) AS runs,
              (SELECT count(*) FROM digest_runs r WHERE r.schedule_id = s.id AND r.status IN ('failed', 'unknown')) AS failures,
              l.period, l.status, l.message, l.detail
       FROM digest_schedules s
       LEFT JOIN digest_runs l ON l.schedule_id = s.id AND l.period = (SELECT max(r.period) FROM digest_runs r WHERE r.schedule_id = s.id)
       WHERE s.removed_at IS NULL AND ${where.sql} ORDER BY tenant, s.created_at`,
      where.params,
    );
    return rows.map(
      (r): ScheduleRow => ({
        id: r.id,
        tenant: r.tenant,
        spec: r.spec,
        description: r.description,
        timezone: r.timezone,
        channels: list(r.channels),
        createdBy: r.created_by_name,
        source: r.source,
        runs: count(r.runs),
        failures: count(r.failures),
        lastRun: r.period !== null && r.status !== null ? { period: new Date(r.period), status: r.status, message: r.message ?? undefined, detail: r.detail ?? undefined } : undefined,
      }),
    );
  }
}
