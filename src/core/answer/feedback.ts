import { randomUUID } from 'node:crypto';
import type { FeedbackState } from '../ports/state-store.js';
import type { Scope } from '../ports/types.js';
import { tenantKey } from '../ports/types.js';

export interface FeedbackSummary {
  readonly up: number;
  readonly down: number;
}

/** Answers shown to users and their 👍/👎, kept with the question so answers can be reviewed. */
export interface FeedbackStore {
  /** Remembers an answer; returns the id its feedback buttons carry. */
  recordAnswer(scope: Scope, entry: { question: string; answer: string; grounded: boolean; model: string | undefined; askedBy: string; sources?: readonly string[] }): Promise<string>;
  /** One rating per user and answer (a second click changes it). False if the answer is unknown. */
  rate(answerId: string, userId: string, rating: 'up' | 'down'): Promise<boolean>;
  summary(answerId: string): Promise<FeedbackSummary>;
  /** Questions asked in a channel in [since, until), oldest first, with whether the documents answered them. */
  questions(scope: Scope, since: Date, until: Date): Promise<AskedQuestion[]>;
}

export interface AskedQuestion {
  readonly question: string;
  readonly grounded: boolean;
  readonly askedBy: string;
  readonly at: Date;
}

export function createFeedbackStore(state: FeedbackState, now: () => Date = () => new Date()): FeedbackStore {
  return {
    async recordAnswer(scope, entry) {
      const id = randomUUID();
      await state.addAnswer({ id, tenant: tenantKey(scope), question: entry.question, answer: entry.answer.slice(0, 20_000), grounded: entry.grounded, model: entry.model, askedBy: entry.askedBy, at: now(), sources: entry.sources?.slice(0, 20) });
      return id;
    },
    async rate(answerId, userId, rating) {
      if (!(await state.hasAnswer(answerId))) return false;
      await state.rate(answerId, userId, rating, now());
      return true;
    },
    questions(scope, since, until) {
      return state.answers(tenantKey(scope), since, until);
    },
    summary(answerId) {
      return state.ratings(answerId);
    },
  };
}
