import type { AnswerRecord, FeedbackState } from '../../../ports/state-store.js';
import { readBool, readCount, readDate, type SqlRunner } from './sql-runner.js';

/** Answers and their ratings: one rating per person and answer, whichever replica took the click. */
export class SqlFeedbackState implements FeedbackState {
  constructor(private readonly db: SqlRunner) {}

  async addAnswer(r: AnswerRecord): Promise<void> {
    await this.db.run(`INSERT INTO answers (id, tenant, question, answer, grounded, model, asked_by, created_at, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      r.id,
      r.tenant,
      r.question,
      r.answer,
      r.grounded,
      r.model ?? null,
      r.askedBy,
      r.at,
      JSON.stringify(r.sources ?? []),
    ]);
  }

  async hasAnswer(id: string): Promise<boolean> {
    return (await this.db.get(`SELECT 1 AS found FROM answers WHERE id = ?`, [id])) !== undefined;
  }

  async rate(answerId: string, userId: string, rating: 'up' | 'down', at: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO feedback (answer_id, user_id, rating, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (answer_id, user_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at`,
      [answerId, userId, rating, at],
    );
  }

  async ratings(answerId: string): Promise<{ up: number; down: number }> {
    const rows = await this.db.all<{ rating: 'up' | 'down'; n: number | string }>(`SELECT rating, count(*) AS n FROM feedback WHERE answer_id = ? GROUP BY rating`, [answerId]);
    return { up: readCount(rows.find((r) => r.rating === 'up')?.n), down: readCount(rows.find((r) => r.rating === 'down')?.n) };
  }

  async answers(tenant: string, since: Date, until: Date): Promise<Pick<AnswerRecord, 'question' | 'grounded' | 'askedBy' | 'at'>[]> {
    const rows = await this.db.all<{ question: string; grounded: unknown; asked_by: string; created_at: string | Date }>(
      `SELECT question, grounded, asked_by, created_at FROM answers WHERE tenant = ? AND created_at >= ? AND created_at < ? ORDER BY created_at`,
      [tenant, since, until],
    );
    return rows.map((r) => ({ question: r.question, grounded: readBool(r.grounded), askedBy: r.asked_by, at: readDate(r.created_at) }));
  }
}
