import type { DigestRun, DigestSchedule, DigestState, RunStatus } from '../../../ports/state-store.js';
import { readBool, readDate, readJson, type SqlRunner } from './sql-runner.js';

type Stamp = string | Date;

interface ScheduleRow {
  id: string;
  platform: string;
  workspace: string;
  channel: string;
  spec: string;
  expression: string;
  timezone: string;
  description: string;
  channels: unknown;
  created_by_id: string;
  created_by_name: string;
  created_at: Stamp;
  source: 'chat' | 'config';
}

interface RunRow {
  schedule_id: string;
  period: Stamp;
  status: RunStatus;
  late: unknown;
  covered_until: Stamp | null;
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
  channels: readJson<string[]>(r.channels, []),
  createdBy: { id: r.created_by_id, name: r.created_by_name },
  createdAt: readDate(r.created_at),
  source: r.source,
});

const toRun = (r: RunRow): DigestRun => ({
  scheduleId: r.schedule_id,
  period: readDate(r.period),
  status: r.status,
  late: readBool(r.late),
  coveredUntil: readDate(r.covered_until),
  message: r.message ?? undefined,
  detail: r.detail ?? undefined,
});

/** Delivered runs: the next digest covers what happened after the latest of them. */
const DELIVERED: readonly RunStatus[] = ['posted', 'quiet', 'skipped'];

/**
 * Schedules and runs. A run is claimed by inserting its (schedule, period) key before anything is
 * posted; the primary key makes a second claim fail, which is what keeps restarts, crashes,
 * overlapping ticks and (on PostgreSQL) replicas ticking the same schedule from posting twice.
 */
export class SqlDigestState implements DigestState {
  /**
   * `abandonedAfterMs` (PostgreSQL): a run another replica claimed may still be in progress, so
   * only a claim this old counts as interrupted when a replica starts.
   */
  constructor(
    private readonly db: SqlRunner,
    private readonly abandonedAfterMs = 15 * 60_000,
  ) {}

  async save(s: DigestSchedule): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO digest_schedules (id, platform, workspace, channel, spec, expression, timezone, description, channels, created_by_id, created_by_name, created_at, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO ${s.source === 'config' ? 'UPDATE SET removed_at = NULL' : 'NOTHING'}`,
      [s.id, s.platform, s.workspace, s.channel, s.spec, s.expression, s.timezone, s.description, JSON.stringify(s.channels), s.createdBy.id, s.createdBy.name, s.createdAt, s.source],
    );
    return changed > 0;
  }

  /** Active schedules, oldest first; filtered to one channel when given. */
  async list(where?: { platform: string; workspace: string; channel: string }): Promise<DigestSchedule[]> {
    const rows = where
      ? await this.db.all<ScheduleRow>(`SELECT * FROM digest_schedules WHERE removed_at IS NULL AND platform = ? AND workspace = ? AND channel = ? ORDER BY created_at, id`, [
          where.platform,
          where.workspace,
          where.channel,
        ])
      : await this.db.all<ScheduleRow>(`SELECT * FROM digest_schedules WHERE removed_at IS NULL ORDER BY created_at, id`);
    return rows.map(toSchedule);
  }

  async get(id: string): Promise<DigestSchedule | undefined> {
    const row = await this.db.get<ScheduleRow>(`SELECT * FROM digest_schedules WHERE id = ? AND removed_at IS NULL`, [id]);
    return row ? toSchedule(row) : undefined;
  }

  async remove(id: string, at: Date): Promise<boolean> {
    return (await this.db.run(`UPDATE digest_schedules SET removed_at = ? WHERE id = ? AND removed_at IS NULL`, [at, id])) > 0;
  }

  /** Config-file schedules no longer in the file stop. */
  async removeConfigSchedulesExcept(ids: readonly string[], at: Date): Promise<number> {
    const kept = ids.length === 0 ? '' : ` AND id NOT IN (${ids.map(() => '?').join(', ')})`;
    return this.db.run(`UPDATE digest_schedules SET removed_at = ? WHERE source = 'config' AND removed_at IS NULL${kept}`, [at, ...ids]);
  }

  /** Takes the run for (schedule, period); false when it was already taken (by anyone). */
  async claim(scheduleId: string, period: Date, owner: string, late: boolean, at: Date): Promise<boolean> {
    return (
      (await this.db.run(`INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at) VALUES (?, ?, 'claimed', ?, ?, ?) ON CONFLICT DO NOTHING`, [
        scheduleId,
        period,
        late,
        owner,
        at,
      ])) > 0
    );
  }

  /** Records a run that will not post (a missed run skipped by DIGEST_CATCHUP=skip); false if it exists. */
  async skip(scheduleId: string, period: Date, owner: string, at: Date, detail: string): Promise<boolean> {
    return (
      (await this.db.run(
        `INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at, finished_at, covered_until, detail) VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [scheduleId, period, true, owner, at, at, at, detail],
      )) > 0
    );
  }

  async update(scheduleId: string, period: Date, fields: { status: RunStatus; coveredUntil?: Date; message?: string; detail?: string; finishedAt?: Date }): Promise<void> {
    await this.db.run(
      `UPDATE digest_runs SET status = ?, covered_until = COALESCE(?, covered_until), message = COALESCE(?, message), detail = COALESCE(?, detail), finished_at = COALESCE(?, finished_at)
       WHERE schedule_id = ? AND period = ?`,
      [fields.status, fields.coveredUntil ?? null, fields.message ?? null, fields.detail ?? null, fields.finishedAt ?? null, scheduleId, period],
    );
  }

  /** The run just before `period` (any status), or the schedule's first run when `period` is omitted. */
  async runBefore(scheduleId: string, period?: Date): Promise<DigestRun | undefined> {
    const row = period
      ? await this.db.get<RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = ? AND period < ? ORDER BY period DESC LIMIT 1`, [scheduleId, period])
      : await this.db.get<RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = ? ORDER BY period LIMIT 1`, [scheduleId]);
    return row ? toRun(row) : undefined;
  }

  /** The latest run that delivered (or deliberately skipped) a digest: the next one starts where it ended. */
  async lastDelivered(scheduleId: string): Promise<DigestRun | undefined> {
    const row = await this.db.get<RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = ? AND status IN (${DELIVERED.map(() => '?').join(', ')}) ORDER BY period DESC LIMIT 1`, [
      scheduleId,
      ...DELIVERED,
    ]);
    return row ? toRun(row) : undefined;
  }

  /**
   * At start: runs another process claimed but never began posting are released (they will be
   * posted late, once); runs that were posting are marked unknown and never posted again.
   */
  async recover(owner: string): Promise<{ released: number; unknown: number }> {
    const abandoned = this.abandoned();
    return this.db.transaction(async (tx) => {
      const released = await tx.run(`DELETE FROM digest_runs WHERE status = 'claimed' AND owner <> ?${abandoned.sql}`, [owner, ...abandoned.params]);
      const unknown = await tx.run(`UPDATE digest_runs SET status = 'unknown', detail = 'Docent stopped while posting it' WHERE status = 'posting' AND owner <> ?${abandoned.sql}`, [
        owner,
        ...abandoned.params,
      ]);
      return { released, unknown };
    });
  }

  /**
   * Which other owners' runs count as abandoned. A SQLite file has one process at a time, so every
   * other owner's run was left by a process that stopped; PostgreSQL's replicas run side by side,
   * so only a run older than the lease (by the database's clock) counts.
   */
  private abandoned(): { sql: string; params: unknown[] } {
    if (this.db.dialect === 'sqlite') return { sql: '', params: [] };
    return { sql: ' AND started_at < now() - make_interval(secs => ?)', params: [this.abandonedAfterMs / 1000] };
  }
}
