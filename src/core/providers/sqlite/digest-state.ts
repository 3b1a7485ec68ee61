import type { SqliteDatabase } from './database.js';
import type { DigestRun, DigestSchedule, DigestState, RunStatus } from '../../state.js';

interface ScheduleRow {
  id: string;
  platform: string;
  workspace: string;
  channel: string;
  spec: string;
  expression: string;
  timezone: string;
  description: string;
  channels: string;
  created_by_id: string;
  created_by_name: string;
  created_at: string;
  source: 'chat' | 'config';
}

interface RunRow {
  schedule_id: string;
  period: string;
  status: RunStatus;
  late: number;
  covered_until: string | null;
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
  channels: JSON.parse(r.channels) as string[],
  createdBy: { id: r.created_by_id, name: r.created_by_name },
  createdAt: new Date(r.created_at),
  source: r.source,
});

const toRun = (r: RunRow): DigestRun => ({
  scheduleId: r.schedule_id,
  period: new Date(r.period),
  status: r.status,
  late: r.late === 1,
  coveredUntil: r.covered_until ? new Date(r.covered_until) : undefined,
  message: r.message ?? undefined,
  detail: r.detail ?? undefined,
});

/** Delivered runs: the next digest covers what happened after the latest of them. */
const DELIVERED: readonly RunStatus[] = ['posted', 'quiet', 'skipped'];

/**
 * Schedules and runs in the SQLite file under DATA_DIR. A run is claimed by inserting its
 * (schedule, period) key before anything is posted; the primary key makes a second claim fail,
 * which is what keeps restarts, crashes and overlapping ticks from posting twice.
 */
export class SqliteDigestState implements DigestState {
  constructor(private readonly db: SqliteDatabase) {}

  async save(schedule: DigestSchedule): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO digest_schedules (id, platform, workspace, channel, spec, expression, timezone, description, channels, created_by_id, created_by_name, created_at, source)
         VALUES (@id, @platform, @workspace, @channel, @spec, @expression, @timezone, @description, @channels, @createdById, @createdByName, @createdAt, @source)
         ON CONFLICT (id) DO ${schedule.source === 'config' ? 'UPDATE SET removed_at = NULL' : 'NOTHING'}`,
      )
      .run({
        ...schedule,
        channels: JSON.stringify(schedule.channels),
        createdById: schedule.createdBy.id,
        createdByName: schedule.createdBy.name,
        createdAt: schedule.createdAt.toISOString(),
      });
    return result.changes > 0;
  }

  /** Active schedules, oldest first; filtered to one channel when given. */
  async list(where?: { platform: string; workspace: string; channel: string }): Promise<DigestSchedule[]> {
    const rows = where
      ? this.db
          .prepare<[string, string, string], ScheduleRow>(`SELECT * FROM digest_schedules WHERE removed_at IS NULL AND platform = ? AND workspace = ? AND channel = ? ORDER BY created_at, id`)
          .all(where.platform, where.workspace, where.channel)
      : this.db.prepare<[], ScheduleRow>(`SELECT * FROM digest_schedules WHERE removed_at IS NULL ORDER BY created_at, id`).all();
    return rows.map(toSchedule);
  }

  async get(id: string): Promise<DigestSchedule | undefined> {
    const row = this.db.prepare<[string], ScheduleRow>(`SELECT * FROM digest_schedules WHERE id = ? AND removed_at IS NULL`).get(id);
    return row ? toSchedule(row) : undefined;
  }

  async remove(id: string, at: Date): Promise<boolean> {
    return this.db.prepare(`UPDATE digest_schedules SET removed_at = ? WHERE id = ? AND removed_at IS NULL`).run(at.toISOString(), id).changes > 0;
  }

  /** Config-file schedules no longer in the file stop. */
  async removeConfigSchedulesExcept(ids: readonly string[], at: Date): Promise<number> {
    const keep = new Set(ids);
    let removed = 0;
    for (const s of (await this.list()).filter((s) => s.source === 'config' && !keep.has(s.id))) removed += Number(await this.remove(s.id, at));
    return removed;
  }

  /** Takes the run for (schedule, period); false when it was already taken (by anyone). */
  async claim(scheduleId: string, period: Date, owner: string, late: boolean, at: Date): Promise<boolean> {
    return (
      this.db
        .prepare(`INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at) VALUES (?, ?, 'claimed', ?, ?, ?) ON CONFLICT DO NOTHING`)
        .run(scheduleId, period.toISOString(), late ? 1 : 0, owner, at.toISOString()).changes > 0
    );
  }

  /** Records a run that will not post (a missed run skipped by DIGEST_CATCHUP=skip); false if it exists. */
  async skip(scheduleId: string, period: Date, owner: string, at: Date, detail: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at, finished_at, covered_until, detail) VALUES (?, ?, 'skipped', 1, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(scheduleId, period.toISOString(), owner, at.toISOString(), at.toISOString(), at.toISOString(), detail).changes > 0
    );
  }

  async update(scheduleId: string, period: Date, fields: { status: RunStatus; coveredUntil?: Date; message?: string; detail?: string; finishedAt?: Date }): Promise<void> {
    this.db
      .prepare(
        `UPDATE digest_runs SET status = ?, covered_until = COALESCE(?, covered_until), message = COALESCE(?, message), detail = COALESCE(?, detail), finished_at = COALESCE(?, finished_at)
         WHERE schedule_id = ? AND period = ?`,
      )
      .run(fields.status, fields.coveredUntil?.toISOString() ?? null, fields.message ?? null, fields.detail ?? null, fields.finishedAt?.toISOString() ?? null, scheduleId, period.toISOString());
  }

  /** The run just before `period` (any status), or the schedule's first run when `period` is omitted. */
  async runBefore(scheduleId: string, period?: Date): Promise<DigestRun | undefined> {
    const row = period
      ? this.db.prepare<[string, string], RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = ? AND period < ? ORDER BY period DESC LIMIT 1`).get(scheduleId, period.toISOString())
      : this.db.prepare<[string], RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = ? ORDER BY period LIMIT 1`).get(scheduleId);
    return row ? toRun(row) : undefined;
  }

  /** The latest run that delivered (or deliberately skipped) a digest: the next one starts where it ended. */
  async lastDelivered(scheduleId: string): Promise<DigestRun | undefined> {
    const row = this.db
      .prepare<[string], RunRow>(`SELECT * FROM digest_runs WHERE schedule_id = ? AND status IN (${DELIVERED.map((s) => `'${s}'`).join(', ')}) ORDER BY period DESC LIMIT 1`)
      .get(scheduleId);
    return row ? toRun(row) : undefined;
  }

  /**
   * After a restart: runs a previous process claimed but never began posting are released (they
   * will be posted late, once); runs that were posting are marked unknown and never posted again.
   */
  async recover(owner: string): Promise<{ released: number; unknown: number }> {
    return this.db.transaction(() => {
      const released = this.db.prepare(`DELETE FROM digest_runs WHERE status = 'claimed' AND owner != ?`).run(owner).changes;
      const unknown = this.db.prepare(`UPDATE digest_runs SET status = 'unknown', detail = 'Docent stopped while posting it' WHERE status = 'posting' AND owner != ?`).run(owner).changes;
      return { released, unknown };
    })();
  }
}
