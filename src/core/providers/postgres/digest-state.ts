import type { DigestRun, DigestSchedule, DigestState, RunStatus } from '../../state.js';
import { transaction, type PgPool } from './database.js';

interface ScheduleRow {
  id: string;
  platform: string;
  workspace: string;
  channel: string;
  spec: string;
  expression: string;
  timezone: string;
  description: string;
  channels: string[];
  created_by_id: string;
  created_by_name: string;
  created_at: Date;
  source: 'chat' | 'config';
}

interface RunRow {
  schedule_id: string;
  period: Date;
  status: RunStatus;
  late: boolean;
  covered_until: Date | null;
  message: string | null;
  detail: string | null;
}

const toSchedule = (r: ScheduleRow): DigestSchedule => ({
  id: r.id,
  platform: r.platform,
  workspace: r.workspace,
  channel: r.channel,
  spec: r.spec,
  expression: r.expression,
  timezone: r.timezone,
  description: r.description,
  channels: r.channels,
  createdBy: { id: r.created_by_id, name: r.created_by_name },
  createdAt: r.created_at,
  source: r.source,
});

const toRun = (r: RunRow): DigestRun => ({
  scheduleId: r.schedule_id,
  period: r.period,
  status: r.status,
  late: r.late,
  coveredUntil: r.covered_until ?? undefined,
  message: r.message ?? undefined,
  detail: r.detail ?? undefined,
});

/**
 * Schedules and runs in PostgreSQL. Every replica ticks every schedule; the run's primary key
 * (schedule, period) lets exactly one of them claim it, so each digest is posted once.
 */
export class PostgresDigestState implements DigestState {
  /**
   * `abandonedAfterMs`: a run another replica claimed may still be in progress, so only a claim
   * this old counts as interrupted when a replica starts.
   */
  constructor(
    private readonly pool: PgPool,
    private readonly abandonedAfterMs = 15 * 60_000,
  ) {}

  async save(s: DigestSchedule): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO digest_schedules (id, platform, workspace, channel, spec, expression, timezone, description, channels, created_by_id, created_by_name, created_at, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO ${s.source === 'config' ? 'UPDATE SET removed_at = NULL' : 'NOTHING'}`,
      [s.id, s.platform, s.workspace, s.channel, s.spec, s.expression, s.timezone, s.description, JSON.stringify(s.channels), s.createdBy.id, s.createdBy.name, s.createdAt, s.source],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async list(where?: { platform: string; workspace: string; channel: string }): Promise<DigestSchedule[]> {
    const { rows } = where
      ? await this.pool.query<ScheduleRow>(`SELECT * FROM digest_schedules WHERE removed_at IS NULL AND platform = $1 AND workspace = $2 AND channel = $3 ORDER BY created_at, id`, [
          where.platform,
          where.workspace,
          where.channel,
        ])
      : await this.pool.query<ScheduleRow>(`SELECT * FROM digest_schedules WHERE removed_at IS NULL ORDER BY created_at, id`);
    return rows.map(toSchedule);
  }

  async get(id: string): Promise<DigestSchedule | undefined> {
    const { rows } = await this.pool.query<ScheduleRow>(`SELECT * FROM digest_schedules WHERE id = $1 AND removed_at IS NULL`, [id]);
    return rows[0] ? toSchedule(rows[0]) : undefined;
  }

  async remove(id: string, at: Date): Promise<boolean> {
    const result = await this.pool.query(`UPDATE digest_schedules SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL`, [at, id]);
    return (result.rowCount ?? 0) > 0;
  }

  async removeConfigSchedulesExcept(ids: readonly string[], at: Date): Promise<number> {
    const result = await this.pool.query(`UPDATE digest_schedules SET removed_at = $1 WHERE source = 'config' AND removed_at IS NULL AND NOT (id = ANY($2::text[]))`, [at, [...ids]]);
    return result.rowCount ?? 0;
  }

  async claim(scheduleId: string, period: Date, owner: string, late: boolean, at: Date): Promise<boolean> {
    const result = await this.pool.query(`INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at) VALUES ($1, $2, 'claimed', $3, $4, $5) ON CONFLICT DO NOTHING`, [
      scheduleId,
      period,
      late,
      owner,
      at,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async skip(scheduleId: string, period: Date, owner: string, at: Date, detail: string): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at, finished_at, covered_until, detail) VALUES ($1, $2, 'skipped', TRUE, $3, $4, $4, $4, $5) ON CONFLICT DO NOTHING`,
      [scheduleId, period, owner, at, detail],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async update(scheduleId: string, period: Date, fields: { status: RunStatus; coveredUntil?: Date; message?: string; detail?: string; finishedAt?: Date }): Promise<void> {
    await this.pool.query(
      `UPDATE digest_runs SET status = $1, covered_until = COALESCE($2, covered_until), message = COALESCE($3, message), detail = COALESCE($4, detail), finished_at = COALESCE($5, finished_at)
       WHERE schedule_id = $6 AND period = $7`,
      [fields.status, fields.coveredUntil ?? null, fields.message ?? null, fields.detail ?? null, fields.finishedAt ?? null, scheduleId, period],
    );
  }

  async runBefore(scheduleId: string, period?: Date): Promise<DigestRun | undefined> {
    const { rows } = period
      ? await this.pool.query<RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = $1 AND period < $2 ORDER BY period DESC LIMIT 1`, [scheduleId, period])
      : await this.pool.query<RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = $1 ORDER BY period LIMIT 1`, [scheduleId]);
    return rows[0] ? toRun(rows[0]) : undefined;
  }

  async lastDelivered(scheduleId: string): Promise<DigestRun | undefined> {
    const { rows } = await this.pool.query<RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = $1 AND status IN ('posted', 'quiet', 'skipped') ORDER BY period DESC LIMIT 1`, [scheduleId]);
    return rows[0] ? toRun(rows[0]) : undefined;
  }

  /**
   * When a replica starts: claims abandoned by another process (older than the lease) are released
   * so the run is posted late, once; runs abandoned while posting become unknown, never posted again.
   */
  async recover(owner: string): Promise<{ released: number; unknown: number }> {
    return transaction(this.pool, async (client) => {
      const age = this.abandonedAfterMs / 1000;
      const released = await client.query(`DELETE FROM digest_runs WHERE status = 'claimed' AND owner <> $1 AND started_at < now() - make_interval(secs => $2)`, [owner, age]);
      const unknown = await client.query(
        `UPDATE digest_runs SET status = 'unknown', detail = 'Docent stopped while posting it' WHERE status = 'posting' AND owner <> $1 AND started_at < now() - make_interval(secs => $2)`,
        [owner, age],
      );
      return { released: released.rowCount ?? 0, unknown: unknown.rowCount ?? 0 };
    });
  }
}
