import type { AnswerRecord, FeedbackState } from '../../state.js';
import type { PgPool } from './database.js';

/** Answers and their ratings in PostgreSQL; one rating per person and answer, whichever replica took the click. */
export class PostgresFeedbackState implements FeedbackState {
  constructor(private readonly pool: PgPool) {}

  async addAnswer(r: AnswerRecord): Promise<void> {
    await this.pool.query(`INSERT INTO answers (id, tenant, question, answer, grounded, model, asked_by, created_at, sources) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
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
    const { rowCount } = await this.pool.query(`SELECT 1 FROM answers WHERE id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }

  async rate(answerId: string, userId: string, rating: 'up' | 'down', at: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO feedback (answer_id, user_id, rating, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (answer_id, user_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at`,
      [answerId, userId, rating, at],
    );
  }

  async ratings(answerId: string): Promise<{ up: number; down: number }> {
    const { rows } = await this.pool.query<{ rating: 'up' | 'down'; n: string }>(`SELECT rating, count(*) AS n FROM feedback WHERE answer_id = $1 GROUP BY rating`, [answerId]);
    return { up: Number(rows.find((r) => r.rating === 'up')?.n ?? 0), down: Number(rows.find((r) => r.rating === 'down')?.n ?? 0) };
  }

  async answers(tenant: string, since: Date, until: Date): Promise<Pick<AnswerRecord, 'question' | 'grounded' | 'askedBy' | 'at'>[]> {
    const { rows } = await this.pool.query<{ question: string; grounded: boolean; asked_by: string; created_at: Date }>(
      `SELECT question, grounded, asked_by, created_at FROM answers WHERE tenant = $1 AND created_at >= $2 AND created_at < $3 ORDER BY created_at`,
      [tenant, since, until],
    );
    return rows.map((r) => ({ question: r.question, grounded: r.grounded, askedBy: r.asked_by, at: r.created_at }));
  }
}
