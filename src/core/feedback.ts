import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from './providers/sqlite-database.js';
import type { Scope } from './types.js';
import { tenantKey } from './types.js';

export interface FeedbackSummary {
  readonly up: number;
  readonly down: number;
}

/** Answers shown to users and their 👍/👎, kept with the question so answers can be reviewed. */
export interface FeedbackStore {
  /** Remembers an answer; returns the id its feedback buttons carry. */
  recordAnswer(scope: Scope, entry: { question: string; answer: string; grounded: boolean; model: string | undefined; askedBy: string }): string;
  /** One rating per user and answer (a second click changes it). False if the answer is unknown. */
  rate(answerId: string, userId: string, rating: 'up' | 'down'): boolean;
  summary(answerId: string): FeedbackSummary;
}

export function createFeedbackStore(db: SqliteDatabase, now: () => Date = () => new Date()): FeedbackStore {
  return {
    recordAnswer(scope, entry) {
      const id = randomUUID();
      db.prepare(
        `INSERT INTO answers (id, tenant, question, answer, grounded, model, asked_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, tenantKey(scope), entry.question, entry.answer.slice(0, 20_000), entry.grounded ? 1 : 0, entry.model ?? null, entry.askedBy, now().toISOString());
      return id;
    },
    rate(answerId, userId, rating) {
      const exists = db.prepare(`SELECT 1 FROM answers WHERE id = ?`).get(answerId);
      if (!exists) return false;
      db.prepare(
        `INSERT INTO feedback (answer_id, user_id, rating, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (answer_id, user_id) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at`,
      ).run(answerId, userId, rating, now().toISOString());
      return true;
    },
    summary(answerId) {
      const rows = db.prepare(`SELECT rating, count(*) AS n FROM feedback WHERE answer_id = ? GROUP BY rating`).all(answerId) as { rating: 'up' | 'down'; n: number }[];
      return { up: rows.find((r) => r.rating === 'up')?.n ?? 0, down: rows.find((r) => r.rating === 'down')?.n ?? 0 };
    },
  };
}
