import type { AnswerRecord, FeedbackState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Answers and their ratings in the SQLite file. */
export class SqliteFeedbackState implements FeedbackState {
  constructor(private readonly db: SqliteDatabase) {}

  async addAnswer(r: AnswerRecord): Promise<void> {
    this.db
      .prepare(`INSERT INTO answers (id, tenant, question, answer, grounded, model, asked_by, created_at, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(r.id, r.tenant, r.question, r.answer, r.grounded ? 1 : 0, r.model ?? null, r.askedBy, r.at.toISOString(), JSON.stringify(r.sources ?? []));
  }

  async hasAnswer(id: string): Promise<boolean> {
    return this.db.prepare(`SELECT 1 FROM answers WHERE id = ?`).get(id) !== undefined;
  }

  async rate(answerId: string, userId: string, rating: 'up' | 'down', at: Date): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feedback (answer_id, user_id, rating, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (answer_id, user_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at`,
      )
      .run(answerId, userId, rating, at.toISOString());
  }

  async ratings(answerId: string): Promise<{ up: number; down: number }> {
    const rows = this.db.prepare(`SELECT rating, count(*) AS n FROM feedback WHERE answer_id = ? GROUP BY rating`).all(answerId) as { rating: 'up' | 'down'; n: number }[];
    return { up: rows.find((r) => r.rating === 'up')?.n ?? 0, down: rows.find((r) => r.rating === 'down')?.n ?? 0 };
  }

  async answers(tenant: string, since: Date, until: Date): Promise<Pick<AnswerRecord, 'question' | 'grounded' | 'askedBy' | 'at'>[]> {
    const rows = this.db
      .prepare<[string, string, string], { question: string; grounded: number; asked_by: string; created_at: string }>(
        `SELECT question, grounded, asked_by, created_at FROM answers WHERE tenant = ? AND created_at >= ? AND created_at < ? ORDER BY created_at`,
      )
      .all(tenant, since.toISOString(), until.toISOString());
    return rows.map((r) => ({ question: r.question, grounded: r.grounded === 1, askedBy: r.asked_by, at: new Date(r.created_at) }));
  }
}
