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
  /** Questions asked in a channel in [since, until), oldest first, with whether the documents answered them. */
  questions(scope: Scope, since: Date, until: Date): AskedQuestion[];
}

export interface AskedQuestion {
  readonly question: string;
  readonly grounded: boolean;
  readonly askedBy: string;
  readonly at: Date;
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
    questions(scope, since, until) {
      const rows = db
        .prepare<[string, string, string], { question: string; grounded: number; asked_by: string; created_at: string }>(
          `SELECT question, grounded, asked_by, created_at FROM answers WHERE tenant = ? AND created_at >= ? AND created_at < ? ORDER BY created_at`,
        )
        .all(tenantKey(scope), since.toISOString(), until.toISOString());
      return rows.map((r) => ({ question: r.question, grounded: r.grounded === 1, askedBy: r.asked_by, at: new Date(r.created_at) }));
    },
    summary(answerId) {
      const rows = db.prepare(`SELECT rating, count(*) AS n FROM feedback WHERE answer_id = ? GROUP BY rating`).all(answerId) as { rating: 'up' | 'down'; n: number }[];
      return { up: rows.find((r) => r.rating === 'up')?.n ?? 0, down: rows.find((r) => r.rating === 'down')?.n ?? 0 };
    },
  };
}
